namespace TransferLearning.Spec;

/// <summary>The spec's <c>training.early_stopping</c>, as Keras' <c>EarlyStopping</c> callback.</summary>
public sealed record EarlyStoppingSpec
{
    /// <summary>Logged quantity to watch. Defaults to <c>val_loss</c>.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Epochs without improvement before stopping. Defaults to 0, as Keras.</summary>
    public int Patience { get; init; }

    /// <summary>Smallest change that counts as an improvement. Defaults to 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>Direction of improvement; auto infers it from the name. Defaults to auto.</summary>
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;

    /// <summary>Go back to the best epoch's weights when stopping. Defaults to true (Keras: false): a user expects the best model.</summary>
    public bool RestoreBestWeights { get; init; } = true;
}

/// <summary>The spec's <c>training.checkpoint</c>, as Keras' <c>ModelCheckpoint</c> callback.</summary>
public sealed record CheckpointSpec
{
    /// <summary>Logged quantity that decides the best model. Defaults to <c>val_loss</c>.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Only keep the best epoch's model. Defaults to false, as Keras.</summary>
    public bool SaveBestOnly { get; init; }

    /// <summary>Direction of improvement; auto infers it from the name. Defaults to auto.</summary>
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;
}
