using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Spec;
using TransferLearning.Training;

namespace TransferLearning.Tests.Reliability;

/// <summary>Epochs do not leak tensors: the live tensor count of the training thread is the same after more epochs.</summary>
public sealed class TensorLeakTests
{
    [Theory]
    [InlineData(0, false)] // frozen backbone, cached features
    [InlineData(0, true)]  // frozen backbone, features recomputed from augmented images each epoch
    [InlineData(5, false)] // fine-tuning with the boundary cache
    [InlineData(5, true)]  // fine-tuning, frozen prefix recomputed
    public void Live_tensor_count_stays_flat_across_epochs(int trainableLayers, bool augment)
    {
        using var model = ExampleData.NewModel(new HeadSpec { DenseUnits = [16], Dropout = 0.1 });
        var options = new TrainerOptions { Training = new TrainingSpec { BatchSize = 32 }, ClassNames = ExampleData.Classes, Metrics = ["accuracy", "auc"] };
        var augmenter = new BatchAugmenter(new AugmentationSpec { Enabled = augment, HorizontalFlip = augment, RotationRange = augment ? 10 : 0 }, 1);
        long LiveAfter(int epochs)
        {
            new Trainer(model, options, []).RunPhase(new TrainingPhase("p", epochs, 1e-4, trainableLayers), ExampleData.Train, ExampleData.Validation, augmenter);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        }
        LiveAfter(1); // warm-up: lazily created tensors (optimizer state, buffers)
        var afterOne = LiveAfter(1);
        var afterThree = LiveAfter(3);
        Assert.Equal(afterOne, afterThree);
    }
}
