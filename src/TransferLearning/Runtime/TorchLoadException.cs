namespace TransferLearning.Runtime;

/// <summary>libtorch (TorchSharp's native backend) could not be loaded; the message says what failed and what to do.</summary>
public sealed class TorchLoadException(string message, Exception? inner = null) : Exception(message, inner);
