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

    [Fact]
    public void Twenty_epochs_do_not_grow_resident_memory_beyond_ten_percent_of_the_first()
    {
        static double RssMb() => File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmRSS:"))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).First();
        using var model = ExampleData.NewModel(new HeadSpec { DenseUnits = [32], Dropout = 0.2 });
        var options = new TrainerOptions { Training = new TrainingSpec { BatchSize = 16 }, ClassNames = ExampleData.Classes, Metrics = ["accuracy", "auc"] };
        var augmenter = new BatchAugmenter(new AugmentationSpec { Enabled = true, HorizontalFlip = true }, 3);
        var recorder = new RssRecorder(RssMb);
        var trainer = new Trainer(model, options, [recorder]);
        trainer.RunPhase(new TrainingPhase("fine_tune", 20, 1e-4, 3), ExampleData.Train, ExampleData.Validation, augmenter);
        var first = recorder.Values[0];
        Assert.Equal(20, recorder.Values.Count);
        Assert.True(recorder.Values.Max() <= first * 1.10, $"RSS per epoch (MB): {string.Join(", ", recorder.Values.Select(v => v.ToString("F0")))}");
    }

    private sealed class RssRecorder(Func<double> measure) : TransferLearning.Training.Callbacks.ITrainingCallback
    {
        public List<double> Values { get; } = [];

        public void OnEpochEnd(EpochLog log, TransferLearning.Training.Callbacks.TrainingContext context)
        {
            GC.Collect();
            Values.Add(measure());
        }
    }
}
