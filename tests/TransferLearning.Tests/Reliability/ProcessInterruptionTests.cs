using System.Text.Json;
using TransferLearning.Export;
using TransferLearning.Spec;
using TransferLearning.Training;

namespace TransferLearning.Tests.Reliability;

/// <summary>The real CLI, interrupted: Ctrl-C stops cleanly; SIGKILL at random moments never leaves a corrupt file and --resume finishes the run.</summary>
public sealed class ProcessInterruptionTests
{
    private static string WriteSpec(string folder, int epochs)
    {
        var path = Path.Combine(folder, "spec.json");
        File.WriteAllText(path, $$$"""
            {
              "dataset": {"path": "{{{Path.Combine(ExampleData.Folder, "data")}}}", "image_size": [48, 48], "validation_split": 0.2, "seed": 7},
              "model": {"base_architecture": "ResNet18", "trainable_strategy": "freeze_then_finetune", "fine_tune_unfreeze_layers": 4},
              "training": {"feature_extraction_epochs": {{{epochs}}}, "fine_tune_epochs": {{{epochs}}}, "batch_size": 8,
                           "learning_rates": {"feature_extraction": 0.003, "fine_tune": 0.0001}},
              "augmentation": {"horizontal_flip": true}
            }
            """);
        return path;
    }

    [Fact]
    public void Ctrl_c_stops_after_the_batch_with_exit_code_130_and_writes_the_report()
    {
        var folder = Data.TestImages.NewFolder();
        var run = Path.Combine(folder, "run");
        using var tl = new CliProcess("train", WriteSpec(folder, 20), "--output", run);
        Assert.True(tl.WaitFor("epoch 2 (", TimeSpan.FromMinutes(3)), tl.Output);
        tl.Signal("INT");
        Assert.Equal(130, tl.WaitForExit(TimeSpan.FromMinutes(2)));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.True(metrics.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
        Assert.True(File.Exists(Path.Combine(run, "model", SavedModel.WeightsFile)), "the stopped run exports its best model");
    }

    [Fact]
    public void Killed_ten_times_at_random_the_run_stays_loadable_and_resume_finishes_it()
    {
        var folder = Data.TestImages.NewFolder();
        var spec = WriteSpec(folder, 3);
        var run = Path.Combine(folder, "run");
        var random = new Random(11);
        for (int kill = 0; kill < 10; kill++)
        {
            var resumable = File.Exists(Path.Combine(run, "checkpoints", ResumeState.FileName));
            if (!resumable && Directory.Exists(run)) Directory.Delete(run, true); // killed before the first epoch: start again
            using (var tl = resumable ? new CliProcess("train", spec, "--output", run, "--resume") : new CliProcess("train", spec, "--output", run))
            {
                Thread.Sleep(TimeSpan.FromSeconds(2 + random.NextDouble() * 8));
                if (!tl.HasExited) tl.Signal("KILL");
                tl.WaitForExit(TimeSpan.FromMinutes(1));
            }
            AssertConsistent(run);
        }
        if (!File.Exists(Path.Combine(run, "checkpoints", ResumeState.FileName)) || !ResumeState.Load(Path.Combine(run, "checkpoints", ResumeState.FileName)).Complete)
        {
            using var finish = File.Exists(Path.Combine(run, "checkpoints", ResumeState.FileName))
                ? new CliProcess("train", spec, "--output", run, "--resume") : new CliProcess("train", spec, "--output", run);
            Assert.Equal(0, finish.WaitForExit(TimeSpan.FromMinutes(5)));
        }
        using var uninterrupted = new CliProcess("train", spec, "--output", Path.Combine(folder, "whole"));
        Assert.Equal(0, uninterrupted.WaitForExit(TimeSpan.FromMinutes(5)));
        double Accuracy(string r) => JsonDocument.Parse(File.ReadAllText(Path.Combine(r, "metrics.json"))).RootElement.GetProperty("final_validation").GetProperty("accuracy").GetDouble();
        Assert.InRange(Accuracy(run), Accuracy(Path.Combine(folder, "whole")) - 0.05, Accuracy(Path.Combine(folder, "whole")) + 0.05);
    }

    /// <summary>Whatever exists is complete: the state parses and names files that exist, and every weights file loads.</summary>
    private static void AssertConsistent(string run)
    {
        var checkpoints = Path.Combine(run, "checkpoints");
        if (!Directory.Exists(checkpoints)) return;
        var statePath = Path.Combine(checkpoints, ResumeState.FileName);
        if (File.Exists(statePath))
        {
            var state = ResumeState.Load(statePath);
            Assert.True(File.Exists(Path.Combine(checkpoints, state.Weights)), $"resume.json names {state.Weights}, which is missing");
            if (state.Optimizer is not null) Assert.True(File.Exists(Path.Combine(checkpoints, state.Optimizer)));
        }
        foreach (var weights in Directory.GetFiles(checkpoints, "*.dat"))
        {
            using var model = ExampleData.NewModel();
            model.load(weights); // throws on a truncated or corrupt file
        }
    }
}
