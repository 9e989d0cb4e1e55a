using System.Text.Json;

namespace TransferLearning.Spec;

/// <summary>Reads each section of the spec; every rule about one section lives in its method.</summary>
internal static class SpecSections
{
    public static DatasetSpec Dataset(JsonElement? element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "dataset", errors, "path", "format", "image_size", "validation_split", "seed", "class_mode",
            "train_path", "validation_path", "test_path", "class_names", "cache_budget_mb", "interpolation");
        if (s.String("format") is { } format && format != "directory")
            s.Error("format", $"\"{format}\" is not supported; the only format is \"directory\" (one sub-folder per class).");
        if (s.String("interpolation") is { } interpolation && interpolation != "bilinear")
            s.Error("interpolation", $"\"{interpolation}\" is not supported; images are resized with \"bilinear\" (antialiased).");
        if (s.Raw("class_mode") is { ValueKind: JsonValueKind.String } cm && cm.GetString() == "binary")
            s.Error("class_mode", "\"binary\" (one sigmoid unit) is not supported; use \"categorical\" with 2 class folders.");
        var imageSize = s.IntList("image_size", null, 8, 4096);
        if (imageSize is { Length: not 2 })
        {
            s.Error("image_size", $"expected [height, width], got {imageSize.Length} number(s).");
            imageSize = null;
        }
        var spec = new DatasetSpec
        {
            Path = s.String("path"),
            TrainPath = s.String("train_path"),
            ValidationPath = s.String("validation_path"),
            TestPath = s.String("test_path"),
            ImageSize = imageSize,
            ValidationSplit = s.Number("validation_split", null, 0, 1, exclusiveMin: true, exclusiveMax: true),
            Seed = s.Int("seed", null, 0),
            ClassMode = s.Raw("class_mode") is { ValueKind: JsonValueKind.String } b && b.GetString() == "binary"
                ? ClassMode.Categorical : s.Choice("class_mode", ClassMode.Categorical, SpecVocabulary.ClassModes),
            ClassNames = s.StringList("class_names", null),
            CacheBudgetMb = s.Int("cache_budget_mb", 2048, 0) ?? 2048,
        };
        if (element is not null)
        {
            if (spec.Path is null && spec.TrainPath is null && !s.Has("path") && !s.Has("train_path"))
                s.Error("path", "is required: the folder with one sub-folder per class (or give dataset.train_path and dataset.validation_path).");
            if (spec.Path is not null && spec.TrainPath is not null)
                s.Error("train_path", "give either dataset.path (split by validation_split) or dataset.train_path, not both.");
            if (spec.ValidationSplit is not null && spec.ValidationPath is not null)
                s.Error("validation_split", "give either dataset.validation_split or dataset.validation_path, not both.");
            if (spec.ValidationPath is not null && spec.TrainPath is null)
                s.Error("validation_path", "goes with dataset.train_path; with dataset.path use dataset.validation_split.");
            if (spec.ClassNames is { } names && names.Distinct().Count() != names.Length)
                s.Error("class_names", "lists a class twice.");
        }
        return spec;
    }

    public static ModelSpec Model(JsonElement? element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "model", errors, "base_architecture", "weights", "include_top", "trainable_strategy",
            "fine_tune_unfreeze_layers", "alpha", "batchnorm", "weights_cache");
        var architecture = s.String("base_architecture", "ResNet18")!;
        if (!SpecVocabulary.Architectures.Contains(architecture))
            s.Error("base_architecture", $"\"{architecture}\" is not known{SpecLoader.Hint(architecture, SpecVocabulary.Architectures)} Known: {string.Join(", ", SpecVocabulary.Architectures)}.");
        var includeTop = s.Bool("include_top", false);
        if (includeTop)
            s.Error("include_top", "true keeps the 1000-class ImageNet classifier; transfer learning replaces it with the spec's head: set false.");
        var weights = s.Has("weights") && s.Raw("weights") is null ? "none" : s.String("weights", "imagenet")!;
        if (weights is not ("imagenet" or "none") && !new[] { ".h5", ".json", ".onnx" }.Any(e => weights.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            s.Error("weights", $"\"{weights}\" is not \"imagenet\", \"none\" (or null), a Keras .h5 file, a TensorFlow.js model.json or an ONNX backbone (.onnx).");
        return new ModelSpec
        {
            BaseArchitecture = architecture,
            Weights = weights,
            IncludeTop = includeTop,
            TrainableStrategy = s.Choice("trainable_strategy", TrainableStrategy.FeatureExtraction, SpecVocabulary.Strategies),
            FineTuneUnfreezeLayers = s.Int("fine_tune_unfreeze_layers", null, 0),
            Alpha = s.Number("alpha", 1.0, 0, 10, exclusiveMin: true) ?? 1.0,
            BatchNorm = s.Choice("batchnorm", BatchNormMode.Frozen, SpecVocabulary.BatchNormModes),
            WeightsCache = s.String("weights_cache"),
        };
    }

    public static HeadSpec Head(JsonElement? element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "head", errors, "global_pool", "dense_units", "dropout", "activation", "output_classes", "output_activation");
        if (s.String("output_activation") is { } output && output != "softmax")
            s.Error("output_activation", output == "sigmoid"
                ? "\"sigmoid\" (multi-label) is not supported; one label per image uses \"softmax\"."
                : $"\"{output}\" is not supported; use \"softmax\".");
        return new HeadSpec
        {
            GlobalPool = s.Choice("global_pool", Models.GlobalPooling.Avg, SpecVocabulary.Poolings),
            DenseUnits = s.IntList("dense_units", [], 1, 65536)!,
            Dropout = s.Number("dropout", 0, 0, 1, exclusiveMax: true) ?? 0,
            Activation = s.Choice("activation", HeadActivation.Relu, SpecVocabulary.Activations),
            OutputClasses = s.Int("output_classes", null, 2),
        };
    }

    public static TrainingSpec Training(JsonElement? element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "training", errors, "feature_extraction_epochs", "fine_tune_epochs", "epochs", "batch_size", "optimizer",
            "learning_rates", "learning_rate", "momentum", "nesterov", "weight_decay", "label_smoothing", "class_weight", "early_stopping", "checkpoint",
            "lr_schedule", "clipnorm", "global_clipnorm", "mixed_precision");
        var rates = JsonSection.Open(s.Raw("learning_rates"), "training.learning_rates", errors, "feature_extraction", "fine_tune");
        var single = s.Number("learning_rate", null, 0, 10, exclusiveMin: true);
        return new TrainingSpec
        {
            // "epochs" is Keras' fit() name; it means the feature-extraction epochs here.
            FeatureExtractionEpochs = s.Int("feature_extraction_epochs", null, 0, 100000) ?? s.Int("epochs", 10, 0, 100000) ?? 10,
            FineTuneEpochs = s.Int("fine_tune_epochs", 10, 0, 100000) ?? 10,
            BatchSize = s.Int("batch_size", 32, 1, 4096) ?? 32,
            Optimizer = s.Choice("optimizer", OptimizerKind.Adam, SpecVocabulary.Optimizers),
            FeatureExtractionLearningRate = rates.Number("feature_extraction", null, 0, 10, exclusiveMin: true) ?? single ?? 1e-3,
            FineTuneLearningRate = rates.Number("fine_tune", null, 0, 10, exclusiveMin: true) ?? 1e-5,
            Momentum = s.Number("momentum", 0, 0, 1, exclusiveMax: true) ?? 0,
            Nesterov = s.Bool("nesterov", false),
            WeightDecay = s.Number("weight_decay", null, 0, 1),
            LabelSmoothing = s.Number("label_smoothing", 0, 0, 1, exclusiveMax: true) ?? 0,
            ClassWeight = ClassWeight(s, errors),
            LearningRateSchedule = Schedule(s, errors),
            MixedPrecision = s.Choice("mixed_precision", PrecisionMode.Auto, SpecVocabulary.Precisions),
            ClipNorm = s.Number("clipnorm", null, 0, double.PositiveInfinity, exclusiveMin: true),
            GlobalClipNorm = s.Number("global_clipnorm", null, 0, double.PositiveInfinity, exclusiveMin: true),
            EarlyStopping = s.Raw("early_stopping") is { } es ? EarlyStopping(es, errors) : null,
            Checkpoint = s.Raw("checkpoint") is { } cp ? Checkpoint(cp, errors) : null,
        };
    }

    private static ClassWeightSpec? ClassWeight(JsonSection s, List<SpecError> errors)
    {
        if (s.Raw("class_weight") is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String && v.GetString() == "balanced") return new ClassWeightSpec(true, null);
        if (v.ValueKind == JsonValueKind.Object)
        {
            var weights = new Dictionary<string, double>();
            foreach (var p in v.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number && p.Value.GetDouble() > 0) weights[p.Name] = p.Value.GetDouble();
                else errors.Add(new SpecError($"training.class_weight.{p.Name}", $"expected a positive number, got {JsonSection.Describe(p.Value)}."));
            }
            return new ClassWeightSpec(false, weights);
        }
        s.Error("class_weight", $"expected \"balanced\" or an object of class name to weight, got {JsonSection.Describe(v)}.");
        return null;
    }

    private static LearningRateScheduleSpec Schedule(JsonSection s, List<SpecError> errors)
    {
        if (s.Raw("lr_schedule") is not { } v) return new LearningRateScheduleSpec();
        if (v.ValueKind == JsonValueKind.String) return new LearningRateScheduleSpec { Kind = s.Choice("lr_schedule", ScheduleKind.Constant, SpecVocabulary.Schedules) };
        var o = JsonSection.Open(v, "training.lr_schedule", errors, "type", "warmup_epochs", "step_epochs", "gamma", "factor", "patience", "monitor", "min_lr");
        if (!o.Has("type")) o.Error("type", $"is required: one of {string.Join(", ", SpecVocabulary.Schedules.Keys)}.");
        return new LearningRateScheduleSpec
        {
            Kind = o.Choice("type", ScheduleKind.Constant, SpecVocabulary.Schedules),
            WarmupEpochs = o.Number("warmup_epochs", 0, 0, 1000) ?? 0,
            StepEpochs = o.Int("step_epochs", 10, 1) ?? 10,
            Gamma = o.Number("gamma", null, 0, 1, exclusiveMin: true, exclusiveMax: true) ?? o.Number("factor", 0.1, 0, 1, exclusiveMin: true, exclusiveMax: true) ?? 0.1,
            Patience = o.Int("patience", 10, 0) ?? 10,
            Monitor = o.String("monitor", "val_loss")!,
            MinLearningRate = o.Number("min_lr", 0, 0, 10) ?? 0,
        };
    }

    private static EarlyStoppingSpec EarlyStopping(JsonElement element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "training.early_stopping", errors, "monitor", "patience", "min_delta", "mode", "restore_best_weights");
        return new EarlyStoppingSpec
        {
            Monitor = s.String("monitor", "val_loss")!,
            Patience = s.Int("patience", 0, 0) ?? 0,
            MinDelta = s.Number("min_delta", 0, 0, double.PositiveInfinity) ?? 0,
            Mode = s.Choice("mode", MonitorMode.Auto, SpecVocabulary.MonitorModes),
            RestoreBestWeights = s.Bool("restore_best_weights", true),
        };
    }

    private static CheckpointSpec Checkpoint(JsonElement element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "training.checkpoint", errors, "monitor", "save_best_only", "mode");
        return new CheckpointSpec
        {
            Monitor = s.String("monitor", "val_loss")!,
            SaveBestOnly = s.Bool("save_best_only", false),
            Mode = s.Choice("mode", MonitorMode.Auto, SpecVocabulary.MonitorModes),
        };
    }

    public static AugmentationSpec Augmentation(JsonElement? element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "augmentation", errors, "enabled", "horizontal_flip", "vertical_flip", "rotation_range", "zoom_range",
            "width_shift_range", "height_shift_range", "fill_mode", "cval", "brightness_range");
        double[] zoom = [1, 1];
        if (s.Raw("zoom_range") is { } z)
        {
            if (z.ValueKind == JsonValueKind.Number)
                zoom = s.Number("zoom_range", 0, 0, 1, exclusiveMax: true) is { } d ? [1 - d, 1 + d] : [1, 1];
            else if (s.NumberList("zoom_range", null) is [var lo, var hi] && lo > 0 && lo <= hi)
                zoom = [lo, hi];
            else
                s.Error("zoom_range", "expected a number z in [0, 1) (meaning [1 - z, 1 + z]) or [lower, upper] with 0 < lower <= upper.");
        }
        var brightness = s.NumberList("brightness_range", null);
        if (brightness is not null and not [>= 0, _] || brightness is [var b0, var b1] && b0 > b1)
        {
            s.Error("brightness_range", "expected [lower, upper] with 0 <= lower <= upper, e.g. [0.8, 1.2].");
            brightness = null;
        }
        return new AugmentationSpec
        {
            Enabled = s.Bool("enabled", element is { ValueKind: JsonValueKind.Object }),
            HorizontalFlip = s.Bool("horizontal_flip", false),
            VerticalFlip = s.Bool("vertical_flip", false),
            RotationRange = s.Number("rotation_range", 0, 0, 360) ?? 0,
            ZoomRange = zoom,
            WidthShiftRange = s.Number("width_shift_range", 0, 0, 1, exclusiveMax: true) ?? 0,
            HeightShiftRange = s.Number("height_shift_range", 0, 0, 1, exclusiveMax: true) ?? 0,
            FillMode = s.Choice("fill_mode", FillMode.Nearest, SpecVocabulary.FillModes),
            Cval = s.Number("cval", 0, 0, 255) ?? 0,
            BrightnessRange = brightness,
        };
    }

    public static OutputsSpec Outputs(JsonElement? element, List<SpecError> errors)
    {
        var s = JsonSection.Open(element, "outputs", errors, "confusion_matrix", "classification_report", "plots", "export_saved_model");
        var plots = s.StringList("plots", ["accuracy_curve", "loss_curve"])!;
        foreach (var (plot, i) in plots.Select((p, i) => (p, i)).Where(x => !SpecVocabulary.Plots.Contains(x.p)))
            errors.Add(new SpecError($"outputs.plots[{i}]", $"\"{plot}\" is not known{SpecLoader.Hint(plot, SpecVocabulary.Plots)} Known: {string.Join(", ", SpecVocabulary.Plots)}."));
        return new OutputsSpec
        {
            ConfusionMatrix = s.Bool("confusion_matrix", true),
            ClassificationReport = s.Bool("classification_report", true),
            Plots = plots,
            ExportSavedModel = s.String("export_saved_model"),
        };
    }
}
