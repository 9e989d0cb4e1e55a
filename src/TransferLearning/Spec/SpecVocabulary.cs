namespace TransferLearning.Spec;

/// <summary>The JSON spellings of every closed choice in the spec, and the names of metrics and plots.</summary>
public static class SpecVocabulary
{
    /// <summary>The only task this tool runs.</summary>
    public const string Task = "image_classification_transfer_learning";

    internal static readonly IReadOnlyDictionary<string, TrainableStrategy> Strategies = new Dictionary<string, TrainableStrategy>
    {
        ["feature_extraction"] = TrainableStrategy.FeatureExtraction,
        ["freeze_then_finetune"] = TrainableStrategy.FreezeThenFinetune,
        ["full_finetune"] = TrainableStrategy.FullFinetune,
    };

    internal static readonly IReadOnlyDictionary<string, OptimizerKind> Optimizers = new Dictionary<string, OptimizerKind>
    {
        ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW, ["sgd"] = OptimizerKind.Sgd, ["rmsprop"] = OptimizerKind.RmsProp,
    };

    internal static readonly IReadOnlyDictionary<string, ScheduleKind> Schedules = new Dictionary<string, ScheduleKind>
    {
        ["constant"] = ScheduleKind.Constant, ["cosine"] = ScheduleKind.Cosine, ["step"] = ScheduleKind.Step, ["reduce_on_plateau"] = ScheduleKind.ReduceOnPlateau,
    };

    internal static readonly IReadOnlyDictionary<string, PrecisionMode> Precisions = new Dictionary<string, PrecisionMode>
    {
        ["auto"] = PrecisionMode.Auto, ["float32"] = PrecisionMode.Float32, ["bfloat16"] = PrecisionMode.BFloat16, ["mixed_bfloat16"] = PrecisionMode.BFloat16,
    };

    internal static readonly IReadOnlyDictionary<string, ClassMode> ClassModes = new Dictionary<string, ClassMode>
    {
        ["categorical"] = ClassMode.Categorical, ["int"] = ClassMode.Int, ["sparse"] = ClassMode.Int,
    };

    internal static readonly IReadOnlyDictionary<string, FillMode> FillModes = new Dictionary<string, FillMode>
    {
        ["nearest"] = FillMode.Nearest, ["reflect"] = FillMode.Reflect, ["constant"] = FillMode.Constant, ["wrap"] = FillMode.Wrap,
    };

    internal static readonly IReadOnlyDictionary<string, HeadActivation> Activations = new Dictionary<string, HeadActivation>
    {
        ["relu"] = HeadActivation.Relu, ["gelu"] = HeadActivation.Gelu, ["swish"] = HeadActivation.Swish, ["silu"] = HeadActivation.Swish,
        ["tanh"] = HeadActivation.Tanh, ["sigmoid"] = HeadActivation.Sigmoid, ["elu"] = HeadActivation.Elu, ["selu"] = HeadActivation.Selu,
        ["linear"] = HeadActivation.Linear,
    };

    internal static readonly IReadOnlyDictionary<string, BatchNormMode> BatchNormModes = new Dictionary<string, BatchNormMode>
    {
        ["frozen"] = BatchNormMode.Frozen, ["train"] = BatchNormMode.Train,
    };

    internal static readonly IReadOnlyDictionary<string, DeviceKind> Devices = new Dictionary<string, DeviceKind>
    {
        ["auto"] = DeviceKind.Auto, ["cpu"] = DeviceKind.Cpu, ["cuda"] = DeviceKind.Cuda,
    };

    internal static readonly IReadOnlyDictionary<string, MonitorMode> MonitorModes = new Dictionary<string, MonitorMode>
    {
        ["auto"] = MonitorMode.Auto, ["min"] = MonitorMode.Min, ["max"] = MonitorMode.Max,
    };

    internal static readonly IReadOnlyDictionary<string, Models.GlobalPooling> Poolings = new Dictionary<string, Models.GlobalPooling>
    {
        ["avg"] = Models.GlobalPooling.Avg, ["max"] = Models.GlobalPooling.Max,
    };

    /// <summary>Metrics a spec may list; each is logged per epoch for training and validation.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["accuracy", "precision", "recall", "f1", "auc", "top_k_accuracy", "log_loss"];

    /// <summary>Plots a spec may ask for: a curve per logged quantity.</summary>
    public static IReadOnlyList<string> Plots => ["loss_curve", .. Metrics.Select(m => $"{m}_curve")];

    /// <summary>
    /// Architecture names a spec may use: Keras applications' names plus the embedded ResNet18.
    /// Whether one can be built here is the model registry's business, not the spec's.
    /// </summary>
    public static readonly IReadOnlyList<string> Architectures =
    [
        "ResNet18", "ResNet50", "ResNet101", "ResNet152", "VGG16", "VGG19", "MobileNet", "MobileNetV2",
        "EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7",
        "DenseNet121", "DenseNet169", "DenseNet201", "InceptionV3",
    ];
}
