namespace TransferLearning.Spec;

/// <summary>The spec's <c>head</c> section: the classifier put on the backbone's feature map.</summary>
public sealed record HeadSpec
{
    /// <summary>Global pooling of the feature map. Defaults to average.</summary>
    public Models.GlobalPooling GlobalPool { get; init; } = Models.GlobalPooling.Avg;

    /// <summary>Hidden Dense layer widths, in order. Defaults to none (pool, dropout, output).</summary>
    public int[] DenseUnits { get; init; } = [];

    /// <summary>Dropout rate before each Dense layer, in [0, 1). Defaults to 0.</summary>
    public double Dropout { get; init; }

    /// <summary>Activation of the hidden Dense layers. Defaults to ReLU.</summary>
    public HeadActivation Activation { get; init; } = HeadActivation.Relu;

    /// <summary>Number of classes; absent means inferred from the class folders.</summary>
    public int? OutputClasses { get; init; }
}
