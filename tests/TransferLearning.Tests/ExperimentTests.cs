using System.Text.Json;
using TransferLearning.Export;
using TransferLearning.Spec;

namespace TransferLearning.Tests;

/// <summary>The whole workflow on the bundled example at 64x64: spec in, run folder and usable model out.</summary>
public sealed class ExperimentTests
{
    private static ExperimentSpec SmallSpec(string output) => SpecLoader.Parse($$$"""
        {
          "dataset": {"path": "{{{Path.Combine(ExampleData.Folder, "data")}}}", "image_size": [64, 64], "validation_split": 0.2, "seed": 42},
          "model": {"base_architecture": "ResNet18", "trainable_strategy": "freeze_then_finetune", "fine_tune_unfreeze_layers": 4},
          "head": {"dense_units": [32], "dropout": 0.2},
          "training": {"feature_extraction_epochs": 3, "fine_tune_epochs": 1, "batch_size": 16,
                       "learning_rates": {"feature_extraction": 0.003, "fine_tune": 0.0001},
                       "checkpoint": {"monitor": "val_accuracy", "save_best_only": true},
                       "mixed_precision": "float32"},
          "augmentation": {"horizontal_flip": true},
          "metrics": ["accuracy", "f1", "auc"],
          "outputs": {"export_saved_model": "{{{Path.Combine(output, "exported")}}}"}
        }
        """, output);

    [Fact]
    public void Runs_the_seed_workflow_and_writes_a_usable_model()
    {
        var output = Data.TestImages.NewFolder();
        var spec = SmallSpec(output);
        var log = new List<string>();
        var result = Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "run"), Log = log.Add });

        Assert.False(result.Cancelled);
        Assert.Equal(4, result.History.Epochs.Count);
        Assert.True(File.Exists(Path.Combine(result.RunDirectory, "checkpoints", "resume.json")));
        Assert.Equal(["feature_extraction", "feature_extraction", "feature_extraction", "fine_tune"], result.History.Epochs.Select(e => e.Phase));
        Assert.Contains(log, l => l.Contains("4 backbone layers trainable"));
        var best = result.History.Series("val_accuracy").Max();
        Assert.Equal(best, result.Validation!.Report.Accuracy, 6); // the kept model is the checkpoint's best
        foreach (var file in new[] { "metrics.json", "history.csv", "validation_classification_report.txt", "validation_confusion_matrix.csv", "checkpoints/best.dat",
                     "accuracy_curve.png", "loss_curve.png", "validation_confusion_matrix.png", "report.html" })
            Assert.True(File.Exists(Path.Combine(result.RunDirectory, file)), $"{file} missing");
        var html = File.ReadAllText(Path.Combine(result.RunDirectory, "report.html"));
        Assert.Contains("Classification report (validation)", html);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(html, "data:image/png;base64,").Count >= 3, "curves and heatmap are inlined");
        Assert.DoesNotContain("src=\"/", html); // self-contained: no file references
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.RunDirectory, "metrics.json")));
        Assert.Equal(42, metrics.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(4, metrics.RootElement.GetProperty("epochs").GetArrayLength());

        // The exported folder alone gives the same predictions.
        using var predictor = Predictor.Load(result.ModelDirectory);
        Assert.Equal(ExampleData.Classes, predictor.Info.ClassNames);
        var (reloaded, _) = predictor.Evaluate(Path.Combine(ExampleData.Folder, "data"));
        Assert.Equal(150, reloaded.ConfusionMatrix.Total);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(result.RunDirectory, "history.csv")).Length); // header + 4 epochs

        // A second run into the same folder is refused, never overwritten.
        var again = Assert.Throws<IOException>(() => Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "run") }));
        Assert.Contains("already holds a run", again.Message);
    }

    [Fact]
    public void A_run_stopped_mid_epoch_resumes_to_the_same_result_as_an_uninterrupted_one()
    {
        var output = Data.TestImages.NewFolder();
        var spec = SmallSpec(output);
        spec = spec with { Training = spec.Training with { FeatureExtractionEpochs = 2 } };
        var whole = Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "whole") });

        using var cancel = new CancellationTokenSource();
        var stopper = new StopAtBatch(cancel, phase: "feature_extraction", epoch: 2, batch: 3);
        var stopped = Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "stopped"), Callbacks = [stopper], Cancellation = cancel.Token });
        Assert.True(stopped.Cancelled);
        Assert.True(File.Exists(Path.Combine(stopped.ModelDirectory, SavedModel.WeightsFile)), "a stopped run still exports its best model");

        var resumed = Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "stopped"), Resume = true });
        Assert.False(resumed.Cancelled);
        Assert.Equal(whole.History.Epochs.Count, resumed.History.Epochs.Count);
        Assert.Equal(whole.History.Series("val_loss"), resumed.History.Series("val_loss"), (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(whole.Validation!.Report.Accuracy, resumed.Validation!.Report.Accuracy);

        var again = Assert.Throws<IOException>(() => Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "stopped"), Resume = true }));
        Assert.Contains("finished already", again.Message);
    }

    private sealed class StopAtBatch(CancellationTokenSource cancel, string phase, int epoch, int batch) : TransferLearning.Training.Callbacks.ITrainingCallback
    {
        public void OnBatchEnd(TransferLearning.Training.Callbacks.BatchLog log)
        {
            if (log.Phase == phase && log.Epoch == epoch && log.Batch == batch) cancel.Cancel();
        }
    }

    [Fact]
    public void The_seed_spec_offline_without_cached_EfficientNet_weights_names_the_file_its_url_and_the_way_out_and_leaves_no_run_folder()
    {
        var output = Data.TestImages.NewFolder();
        var spec = SpecLoader.Parse(SharedData.SeedSpecJson().Replace("\"data/flowers/\"", $"\"{Path.Combine(ExampleData.Folder, "data")}\""), output);
        var saved = (Environment.GetEnvironmentVariable("TL_OFFLINE"), Environment.GetEnvironmentVariable("TL_WEIGHTS_DIR"), Environment.GetEnvironmentVariable("KERAS_HOME"));
        try
        {
            Environment.SetEnvironmentVariable("TL_OFFLINE", "1");
            Environment.SetEnvironmentVariable("TL_WEIGHTS_DIR", Path.Combine(output, "cache"));
            Environment.SetEnvironmentVariable("KERAS_HOME", Path.Combine(output, "keras"));
            var error = Assert.Throws<TransferLearning.Models.Weights.WeightsUnavailableException>(() =>
                Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "run") }));
            Assert.Contains("efficientnetb0_notop.h5", error.Message);
            Assert.Contains("https://storage.googleapis.com/keras-applications/efficientnetb0_notop.h5", error.Message);
            Assert.Contains("ResNet18", error.Message);
            Assert.False(Directory.Exists(Path.Combine(output, "run")), "no run folder is left behind when the weights are missing");
        }
        finally
        {
            Environment.SetEnvironmentVariable("TL_OFFLINE", saved.Item1);
            Environment.SetEnvironmentVariable("TL_WEIGHTS_DIR", saved.Item2);
            Environment.SetEnvironmentVariable("KERAS_HOME", saved.Item3);
        }
    }
}
