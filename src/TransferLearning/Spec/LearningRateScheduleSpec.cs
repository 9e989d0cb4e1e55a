namespace TransferLearning.Spec;

/// <summary>Kinds of learning-rate schedule.</summary>
public enum ScheduleKind
{
    /// <summary>The phase's rate throughout.</summary>
    Constant,
    /// <summary>Linear warm-up, then cosine decay to <c>min_lr</c> over the phase (per batch).</summary>
    Cosine,
    /// <summary>Multiply by <c>gamma</c> every <c>step_epochs</c> epochs.</summary>
    Step,
    /// <summary>Keras' <c>ReduceLROnPlateau</c>: multiply by <c>factor</c> after <c>patience</c> epochs without improvement of <c>monitor</c>.</summary>
    ReduceOnPlateau,
}

/// <summary>The spec's <c>training.lr_schedule</c>, applied within each phase to that phase's learning rate.</summary>
public sealed record LearningRateScheduleSpec
{
    /// <summary>The schedule. Defaults to constant.</summary>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;

    /// <summary>Cosine: epochs of linear warm-up from 0. Defaults to 0.</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Step: epochs between decays. Defaults to 10.</summary>
    public int StepEpochs { get; init; } = 10;

    /// <summary>Step: multiplier per decay; plateau: multiplier per reduction (Keras' <c>factor</c>). Defaults to 0.1.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Plateau: epochs without improvement before reducing. Defaults to 10, as Keras.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Plateau: the quantity watched. Defaults to <c>val_loss</c>.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Lowest rate (cosine end point, plateau floor). Defaults to 0.</summary>
    public double MinLearningRate { get; init; }
}
