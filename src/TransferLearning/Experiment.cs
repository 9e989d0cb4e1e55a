using System.Globalization;
using System.Text.Json;
using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Evaluation;
using TransferLearning.Export;
using TransferLearning.Models;
using TransferLearning.Models.Heads;
using TransferLearning.Models.Registry;
using TransferLearning.Reporting;
using TransferLearning.Runtime;
using TransferLearning.Spec;
using TransferLearning.Training;
using TransferLearning.Training.Callbacks;

namespace TransferLearning;

/// <summary>
/// The whole workflow of a spec, composed from the library's parts (each usable alone):
/// spec -> data -> backbone + head -> trainer phases -> evaluation -> run folder and exported model.
/// </summary>
public static class Experiment
{
    /// <summary>Trains what <paramref name="spec"/> describes and writes the run folder.</summary>
    public static RunResult Run(ExperimentSpec spec, RunOptions options)
    {
        TorchRuntime.EnsureLoaded();
        var log = options.Log;
        var entry = ResolveArchitecture(spec.Model);
        if (spec.Device == DeviceKind.Cuda && !torch.cuda.is_available())
            throw new SpecException("spec", [new SpecError("device", "\"cuda\" was asked for but this libtorch has no usable CUDA device (the TorchSharp-cpu build); use \"auto\" or \"cpu\".")]);
        var requestedFolder = options.OutputDirectory is null ? null : spec.Resolve(options.OutputDirectory);
        var run = options.Resume ? RunDirectory.Open(requestedFolder, spec.Resolve("runs")) : null;
        var specHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec)));
        var state = run is null ? null : ResumeState.Load(run.File(Path.Combine("checkpoints", ResumeState.FileName)));
        if (state is { Complete: true }) throw new IOException($"{run!.Path} finished already; nothing to resume.");
        if (state is not null && state.SpecHash != specHash) throw new IOException($"{run!.Path} was started with a different spec; resume with the same spec, or start a new run.");
        int seed = state?.Seed ?? spec.Dataset.Seed ?? Random.Shared.Next(0, int.MaxValue);
        if (spec.Dataset.Seed is null && state is null) log($"no dataset.seed given: using {seed} (set it to repeat this run)");
        var random = torch.random.manual_seed(seed);
        int height = spec.Dataset.ImageSize?[0] ?? entry.Pretrained.InputHeight, width = spec.Dataset.ImageSize?[1] ?? entry.Pretrained.InputWidth;
        // Weights first: a file that is missing or does not fit fails before minutes of decoding and before a run folder exists.
        var backbone = CreateBackbone(entry, spec, options);
        PreparedData data;
        try { data = DataPreparation.Prepare(spec, seed, height, width, log); }
        catch { backbone.Dispose(); throw; }
        using var model = new TransferModel(backbone, spec.Head.GlobalPool, new ClassifierHead(backbone.FeatureChannels, data.ClassNames.Count, spec.Head));
        run ??= RunDirectory.Create(requestedFolder, spec.Resolve("runs")); // only once the weights and the data are known to be usable
        log($"{(state is null ? "run folder" : "resuming run")}: {run.Path}");
        var counts = data.Train.CountPerClass(data.ClassNames.Count);
        log($"classes: {string.Join(", ", data.ClassNames.Select((n, c) => $"{n} ({counts[c]})"))}; validation {data.Validation?.Count ?? 0}, test {data.Test?.Count ?? 0}");
        if (spec.Training.ClassWeight is null && counts.Max() > 3 * counts.Min())
            log($"warning: classes are imbalanced over 3:1 ({counts.Max()} vs {counts.Min()}); consider training.class_weight: \"balanced\"");

        var phases = Phases(spec, model.Backbone.Layers.Count);
        var checkpointSpec = spec.Training.Checkpoint ?? new CheckpointSpec { Monitor = spec.HasValidation ? "val_loss" : "loss", SaveBestOnly = true };
        var checkpoints = run.File("checkpoints");
        var bestFile = Path.Combine(checkpoints, ModelCheckpoint.BestFile);
        using var checkpoint = new ModelCheckpoint(checkpointSpec, (m, file) => AtomicFile.Write(Path.Combine(checkpoints, file), temp => m.save(temp)));
        using var earlyStopping = spec.Training.EarlyStopping is { } es ? new EarlyStopping(es) : null;
        var resume = new ResumeCheckpoint(checkpoints, specHash, seed, random, checkpoint, earlyStopping);
        var callbacks = new List<ITrainingCallback> { checkpoint };
        if (earlyStopping is not null) callbacks.Add(earlyStopping);
        callbacks.Add(resume); // after the callbacks whose state it saves
        callbacks.AddRange(options.Callbacks);

        var trainer = new Trainer(model, new TrainerOptions
        {
            Training = spec.Training,
            BatchNorm = spec.Model.BatchNorm,
            Metrics = spec.Metrics,
            ClassNames = data.ClassNames,
            ClassWeights = ClassWeights.Compute(spec.Training.ClassWeight, data.ClassNames, counts),
            Seed = seed,
            CacheBudgetBytes = (long)spec.Dataset.CacheBudgetMb << 20,
            MixedPrecisionBackbone = FrozenPrecision.UseBFloat16(spec.Training.MixedPrecision) ? () => entry.Create(StructureRequest(spec)) : null,
            Log = log,
        }, callbacks);
        var augmenter = new BatchAugmenter(spec.Augmentation, seed);
        if (state is not null) RestoreState(state, checkpoints, model, random, trainer, checkpoint, log);
        for (int i = state?.PhaseIndex ?? 0; i < phases.Count; i++)
        {
            resume.PhaseIndex = i;
            var continuing = state is not null && i == state.PhaseIndex && state.PhaseEpochsDone > 0 ? state : null;
            trainer.RunPhase(phases[i], data.Train, data.Validation, augmenter, options.Cancellation,
                startEpoch: (continuing?.PhaseEpochsDone ?? 0) + 1,
                optimizerState: continuing?.Optimizer is { } optimizer ? Path.Combine(checkpoints, optimizer) : null,
                beforeFirstEpoch: continuing is null || earlyStopping is null ? null : _ => earlyStopping.Resume(continuing.EarlyStoppingBest,
                    trainer.History.Epochs.FirstOrDefault(e => e.Epoch == continuing.EarlyStoppingBestEpoch), continuing.EarlyStoppingWait,
                    spec.Training.EarlyStopping!.Monitor == checkpointSpec.Monitor && File.Exists(bestFile) ? WeightSnapshot.Load(model, bestFile) : null));
            // The next phase (and the final model) continue from the best weights so far.
            if (checkpoint.RestoreBest(model)) log($"kept the best epoch so far: {checkpoint.Monitor.Monitor} = {checkpoint.Monitor.Best:F4} (epoch {checkpoint.Monitor.BestEpoch?.Epoch})");
            if (trainer.Cancelled) break;
            resume.SavePhaseBoundary(model, trainer.History, i + 1);
        }

        var batch = spec.Training.BatchSize;
        var (validation, validationProbabilities) = data.Validation is null ? (null, null) : Evaluate(model, data.Validation, data.ClassNames, batch);
        var (test, _) = data.Test is null ? (null, null) : Evaluate(model, data.Test, data.ClassNames, batch);
        var modelDir = spec.Outputs.ExportSavedModel is { } export ? spec.Resolve(export) : run.File("model");
        var info = new SavedModelInfo
        {
            Architecture = entry.Name,
            Weights = WeightsArgument(spec),
            Alpha = spec.Model.Alpha,
            ClassNames = data.ClassNames,
            ImageHeight = height,
            ImageWidth = width,
            Preprocessing = model.Backbone.Preprocessing.Name,
            Pooling = model.Pooling,
            Head = spec.Head with { OutputClasses = data.ClassNames.Count },
            Metrics = validation is null ? new Dictionary<string, double>() : Figures(validation, spec.Metrics),
        };
        SavedModel.Save(model, info, modelDir);
        WriteReports(run, spec, seed, data, trainer, validation, test, modelDir);
        WriteVisualReport(run, spec, seed, data, trainer, validation, validationProbabilities);
        if (!trainer.Cancelled) resume.MarkComplete(); // last: a kill before this point leaves a run that --resume finishes
        log($"model exported to {modelDir}");
        return new RunResult(run.Path, modelDir, trainer.History, validation, trainer.Cancelled);
    }

    private static void RestoreState(ResumeState state, string checkpoints, TransferModel model, torch.Generator random, Trainer trainer,
        ModelCheckpoint checkpoint, Action<string> log)
    {
        model.load(Path.Combine(checkpoints, state.Weights));
        using (var rng = torch.tensor(Convert.FromBase64String(state.RandomState))) random.set_state(rng);
        trainer.RestoreHistory(state.History);
        var best = Path.Combine(checkpoints, ModelCheckpoint.BestFile);
        checkpoint.Resume(state.CheckpointBest, state.History.FirstOrDefault(e => e.Epoch == state.CheckpointBestEpoch),
            File.Exists(best) ? WeightSnapshot.Load(model, best) : null);
        log($"continuing at phase {state.PhaseIndex + 1}, epoch {state.PhaseEpochsDone + 1} of that phase ({state.History.Count} epochs done)");
    }

    /// <summary>The registry entry for the spec's architecture, or a clear error about what is available.</summary>
    public static ModelEntry ResolveArchitecture(ModelSpec spec) =>
        ModelRegistry.Find(spec.BaseArchitecture) ?? throw new SpecException("spec", [new SpecError("model.base_architecture",
            $"\"{spec.BaseArchitecture}\" is not in the model registry; available: {string.Join(", ", ModelRegistry.All.Select(e => e.Name))} " +
            "(ResNet18 always works offline).")]);

    private static Backbone CreateBackbone(ModelEntry entry, ExperimentSpec spec, RunOptions options)
    {
        var log = options.Log;
        var weights = WeightsArgument(spec);
        Backbone backbone;
        try
        {
            backbone = entry.Create(new BackboneRequest(spec.Model.Alpha, weights, spec.Model.WeightsCache is { } cache ? spec.Resolve(cache) : null, log,
                options.Cancellation));
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException)
        {
            throw new SpecException("spec", [new SpecError(e.Message.Contains("alpha", StringComparison.Ordinal) && e is ArgumentException ? "model.alpha" : "model.weights", e.Message)]);
        }
        log($"backbone {entry.Name}: {backbone.Layers.Count} layers, {backbone.parameters().Sum(p => p.numel()):N0} parameters, weights: {weights}");
        return backbone;
    }

    /// <summary><c>model.weights</c> with a file path resolved against the spec's folder.</summary>
    private static string WeightsArgument(ExperimentSpec spec) =>
        spec.Model.Weights is "imagenet" or "none" ? spec.Model.Weights : spec.Resolve(spec.Model.Weights);

    /// <summary>The same backbone structure, for a copy whose weights the caller loads.</summary>
    private static BackboneRequest StructureRequest(ExperimentSpec spec) =>
        new(spec.Model.Alpha, WeightsArgument(spec) is var w && w.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? w : null);

    /// <summary>The phases a strategy means; "layer" counts as Keras' <c>base_model.layers</c>.</summary>
    public static IReadOnlyList<TrainingPhase> Phases(ExperimentSpec spec, int backboneLayers)
    {
        var t = spec.Training;
        var unfreeze = Math.Min(spec.Model.FineTuneUnfreezeLayers ?? backboneLayers, backboneLayers);
        return spec.Model.TrainableStrategy switch
        {
            TrainableStrategy.FeatureExtraction => [new("feature_extraction", t.FeatureExtractionEpochs, t.FeatureExtractionLearningRate, 0)],
            TrainableStrategy.FreezeThenFinetune =>
            [
                new("feature_extraction", t.FeatureExtractionEpochs, t.FeatureExtractionLearningRate, 0),
                new("fine_tune", t.FineTuneEpochs, t.FineTuneLearningRate, unfreeze),
            ],
            _ => [new("fine_tune", t.FineTuneEpochs, t.FineTuneLearningRate, backboneLayers)],
        };
    }

    private static (ClassificationMetrics?, double[][]?) Evaluate(TransferModel model, DecodedImages images, IReadOnlyList<string> classNames, int batchSize)
    {
        var probabilities = Trainer.Predict(model, images, batchSize);
        var labels = images.Records.Select(r => r.Label).ToArray();
        return (ClassificationMetrics.FromProbabilities(labels, probabilities, classNames), probabilities);
    }

    /// <summary>Curves, the confusion-matrix heatmap and the self-contained report.html.</summary>
    private static void WriteVisualReport(RunDirectory run, ExperimentSpec spec, int seed, PreparedData data, Trainer trainer,
        ClassificationMetrics? validation, double[][]? probabilities)
    {
        var images = TrainingPlots.Write(trainer.History, spec.Outputs.Plots, run.Path).ToList();
        if (validation is not null && spec.Outputs.ConfusionMatrix)
        {
            var heatmap = run.File("validation_confusion_matrix.png");
            ConfusionMatrixPlot.Write(validation.ConfusionMatrix, data.ClassNames, heatmap, "validation confusion matrix");
            images.Add(heatmap);
        }
        var worst = new List<Misclassified>();
        if (data.Validation is { } v && probabilities is not null)
            worst = v.Records.Select((record, i) => (record, p: probabilities[i]))
                .Select(x => (x.record, x.p, predicted: Array.IndexOf(x.p, x.p.Max())))
                .Where(x => x.predicted != x.record.Label)
                .OrderBy(x => x.p[x.record.Label]).Take(12)
                .Select(x => new Misclassified(x.record.Path, data.ClassNames[x.record.Label], data.ClassNames[x.predicted], x.p[x.predicted], x.p[x.record.Label]))
                .ToList();
        var epochs = trainer.History.Epochs;
        HtmlReport.Write(new RunReport
        {
            Title = $"tl train: {spec.Model.BaseArchitecture} on {spec.Dataset.Path ?? spec.Dataset.TrainPath}",
            SpecJson = JsonSerializer.Serialize(spec, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }),
            ClassNames = data.ClassNames,
            TrainCounts = data.Train.CountPerClass(data.ClassNames.Count),
            ValidationCounts = data.Validation?.CountPerClass(data.ClassNames.Count) ?? [],
            SkippedFiles = data.Skipped.Select(s => s.Message).ToList(),
            History = trainer.History,
            Validation = validation,
            Images = images,
            Worst = worst,
            Environment = new Dictionary<string, string>
            {
                ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                [".NET"] = Environment.Version.ToString(),
                ["TorchSharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "?",
                ["libtorch"] = TorchRuntime.UsedPatchedCopy ? "loaded through the patched copy (older system libstdc++)" : "loaded as shipped",
                ["torch threads"] = torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
                ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
                ["wall time"] = $"{epochs.Sum(e => e.Seconds):F1} s in {epochs.Count} epochs ({string.Join(", ", epochs.GroupBy(e => e.Phase).Select(g => $"{g.Key}: {g.Sum(e => e.Seconds):F1} s"))})",
                ["run folder"] = run.Path,
            },
        }, run.File("report.html"));
    }

    private static Dictionary<string, double> Figures(ClassificationMetrics metrics, IEnumerable<string> names) =>
        names.Append("loss").Append("accuracy").Distinct().ToDictionary(n => n, n => metrics[n]);

    private static void WriteReports(RunDirectory run, ExperimentSpec spec, int seed, PreparedData data, Trainer trainer,
        ClassificationMetrics? validation, ClassificationMetrics? test, string modelDir)
    {
        var json = new JsonSerializerOptions { WriteIndented = true };
        run.WriteText("history.csv", trainer.History.ToCsv());
        var summary = new
        {
            seed,
            cancelled = trainer.Cancelled,
            classes = data.ClassNames,
            train_images = data.Train.Count,
            validation_images = data.Validation?.Count ?? 0,
            skipped_files = data.Skipped.Select(s => s.Message).ToList(),
            ignored_files = data.IgnoredFiles,
            final_validation = validation is null ? null : Figures(validation, spec.Metrics),
            test = test is null ? null : Figures(test, spec.Metrics),
            epochs = trainer.History.Epochs.Select(e => new { epoch = e.Epoch, phase = e.Phase, seconds = e.Seconds, images_per_second = e.ImagesPerSecond, values = e.Values }),
            model = modelDir,
        };
        run.WriteText("metrics.json", JsonSerializer.Serialize(summary, json));
        foreach (var (name, metrics) in new[] { ("validation", validation), ("test", test) })
        {
            if (metrics is null) continue;
            if (spec.Outputs.ClassificationReport)
            {
                run.WriteText($"{name}_classification_report.txt", metrics.Report.ToText());
                run.WriteText($"{name}_classification_report.json", JsonSerializer.Serialize(metrics.Report, json));
            }
            if (spec.Outputs.ConfusionMatrix)
                run.WriteText($"{name}_confusion_matrix.csv", "true\\predicted," + string.Join(",", data.ClassNames) + "\n" +
                    string.Concat(metrics.ConfusionMatrix.ToRows().Select((row, i) => data.ClassNames[i] + "," + string.Join(",", row.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "\n")));
        }
    }
}
