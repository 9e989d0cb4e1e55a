namespace TransferLearning.Spec;

/// <summary>A spec is invalid. <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class SpecException(string source, IReadOnlyList<SpecError> errors)
    : Exception(errors.Count == 1 ? $"{source}: {errors[0]}" : $"{source}: {errors.Count} errors: " + string.Join("; ", errors))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
