using TransferLearning.Models.Graph;
using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Models.Onnx;
using TransferLearning.Spec;
using TransferLearning.Training;
using TransferLearning.Training.Callbacks;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Training;

/// <summary>The training loop on real photos (bundled example, 64x64, a few epochs).</summary>
public sealed class TrainerTests
{
    private static TrainerOptions Options(BatchNormMode batchNorm = BatchNormMode.Frozen) => new()
    {
        Training = new TrainingSpec { BatchSize = 16 },
        BatchNorm = batchNorm,
        ClassNames = ExampleData.Classes,
        Metrics = ["accuracy", "f1"],
        Seed = 3,
    };

    private static BatchAugmenter NoAugmentation => new(new AugmentationSpec(), 0);

    [Fact]
    public void Head_training_on_frozen_imagenet_features_learns_flowers()
    {
        using var model = ExampleData.NewModel();
        var trainer = new Trainer(model, Options(), []);
        trainer.RunPhase(new TrainingPhase("feature_extraction", 6, 1e-3, 0), ExampleData.Train, ExampleData.Validation, NoAugmentation);
        var last = trainer.History.Epochs[^1].Values;
        Assert.Equal(6, trainer.History.Epochs.Count);
        Assert.True(trainer.History.Series("loss")[^1] < trainer.History.Series("loss")[0], "training loss should fall");
        Assert.True(last["val_accuracy"] >= 0.5, $"val_accuracy {last["val_accuracy"]:F3}: real ImageNet features should beat chance (0.2) clearly");
        Assert.Contains("val_f1", last.Keys);
    }

    [Fact]
    public void Mixed_precision_runs_frozen_layers_in_bfloat16_and_learns_as_well()
    {
        double FinalAccuracy(bool mixed, int trainable)
        {
            using var model = ExampleData.NewModel();
            var options = Options() with { MixedPrecisionBackbone = mixed ? () => TransferLearning.Models.Architectures.ResNet18Onnx.Create() : null };
            var trainer = new Trainer(model, options, []);
            trainer.RunPhase(new TrainingPhase("p", 4, trainable == 0 ? 1e-3 : 1e-4, trainable), ExampleData.Train, ExampleData.Validation, NoAugmentation);
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype)); // the model itself stays float32
            return trainer.History.Epochs[^1].Values["val_accuracy"];
        }
        Assert.InRange(FinalAccuracy(true, 0), FinalAccuracy(false, 0) - 0.1, 1.0);
        Assert.InRange(FinalAccuracy(true, 5), FinalAccuracy(false, 5) - 0.1, 1.0);
    }

    [Fact]
    public void Fine_tuning_changes_only_the_unfrozen_layers_and_keeps_batchnorm_statistics()
    {
        using var model = ExampleData.NewModel();
        var layers = model.Backbone.Layers;
        var firstConv = ((GraphLayer)layers[0]).parameters().First().detach().clone();
        var lastConv = layers.Last(l => ((GraphLayer)l).OpType == "Conv").parameters().First().detach().clone();
        var lastBn = layers.Last(l => ((GraphLayer)l).OpType == "BatchNormalization");
        var runningMean = lastBn.buffers().First().detach().clone();

        var trainer = new Trainer(model, Options(), []);
        trainer.RunPhase(new TrainingPhase("fine_tune", 1, 1e-3, 20), ExampleData.Train, ExampleData.Validation, NoAugmentation);

        Assert.True(TensorAssert.Same(((GraphLayer)layers[0]).parameters().First(), firstConv), "a frozen layer changed");
        Assert.False(TensorAssert.Same(layers.Last(l => ((GraphLayer)l).OpType == "Conv").parameters().First(), lastConv), "an unfrozen layer did not train");
        Assert.True(TensorAssert.Same(lastBn.buffers().First(), runningMean), "BatchNorm statistics moved although model.batchnorm is frozen");
    }

    [Fact]
    public void Batchnorm_train_mode_updates_statistics_of_unfrozen_layers()
    {
        using var model = ExampleData.NewModel();
        var lastBn = model.Backbone.Layers.Last(l => ((GraphLayer)l).OpType == "BatchNormalization");
        var runningMean = lastBn.buffers().First().detach().clone();
        var trainer = new Trainer(model, Options(BatchNormMode.Train), []);
        trainer.RunPhase(new TrainingPhase("fine_tune", 1, 1e-4, 5), ExampleData.Train, null, NoAugmentation);
        Assert.False(TensorAssert.Same(lastBn.buffers().First(), runningMean));
    }

    [Fact]
    public void Same_seed_gives_the_same_history()
    {
        double[] Run()
        {
            using var model = ExampleData.NewModel(new HeadSpec { DenseUnits = [32], Dropout = 0.2 });
            var trainer = new Trainer(model, Options(), []);
            trainer.RunPhase(new TrainingPhase("feature_extraction", 2, 1e-3, 0), ExampleData.Train, ExampleData.Validation, NoAugmentation);
            return trainer.History.Series("val_loss");
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Early_stopping_ends_the_phase_and_restores_the_best_weights()
    {
        using var model = ExampleData.NewModel();
        // A huge learning rate makes the validation loss worse after the first epoch.
        using var stop = new EarlyStopping(new EarlyStoppingSpec { Monitor = "val_loss", Patience = 1 });
        var trainer = new Trainer(model, Options(), [stop]);
        trainer.RunPhase(new TrainingPhase("feature_extraction", 8, 5.0, 0), ExampleData.Train, ExampleData.Validation, NoAugmentation);
        var losses = trainer.History.Series("val_loss");
        Assert.True(losses.Length < 8, "should have stopped early");
        var all = Enumerable.Range(0, ExampleData.Validation.Count).ToArray();
        model.eval();
        using var _ = no_grad();
        using var logits = model.call(ExampleData.Validation.Batch(all));
        using var loss = nn.functional.cross_entropy(logits, ExampleData.Validation.Labels(all));
        Assert.Equal(losses.Min(), loss.item<float>(), 1e-3 * losses.Min());
    }

    [Fact]
    public void Global_clipnorm_bounds_each_step()
    {
        using var model = ExampleData.NewModel();
        var before = model.Head.parameters().Select(p => p.detach().clone()).ToList();
        var options = Options() with { Training = new TrainingSpec { BatchSize = 120, Optimizer = OptimizerKind.Sgd, GlobalClipNorm = 1e-6 } };
        var trainer = new Trainer(model, options, []);
        trainer.RunPhase(new TrainingPhase("feature_extraction", 1, 1.0, 0), ExampleData.Train, null, NoAugmentation);
        // One SGD step of rate 1 with the gradient norm clipped to 1e-6 moves the head by at most 1e-6 in total.
        var moved = model.Head.parameters().Zip(before, (p, b) => (p.detach() - b).square().sum().item<float>()).Sum();
        Assert.InRange(Math.Sqrt(moved), 1e-8, 1.01e-6);
        Assert.Equal(1.0, trainer.History.Epochs[0].Values["learning_rate"]);
    }

    [Fact]
    public void Cancellation_stops_after_the_current_batch()
    {
        using var model = ExampleData.NewModel();
        using var cancel = new CancellationTokenSource();
        var counter = new BatchCounter(cancel, stopAfter: 2);
        var trainer = new Trainer(model, Options(), [counter]);
        trainer.RunPhase(new TrainingPhase("feature_extraction", 5, 1e-3, 0), ExampleData.Train, ExampleData.Validation, NoAugmentation, cancel.Token);
        Assert.True(trainer.Cancelled);
        Assert.Equal(2, counter.Batches);
        Assert.Single(trainer.History.Epochs);
    }

    private sealed class BatchCounter(CancellationTokenSource cancel, int stopAfter) : ITrainingCallback
    {
        public int Batches { get; private set; }

        public void OnBatchEnd(BatchLog log)
        {
            if (++Batches == stopAfter) cancel.Cancel();
        }
    }
}
