namespace TransferLearning.Spec;

/// <summary>One problem in a spec: the JSON path (e.g. <c>dataset.validation_split</c>) and what is wrong and what to do.</summary>
public sealed record SpecError(string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
