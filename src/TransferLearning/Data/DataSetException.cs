namespace TransferLearning.Data;

/// <summary>The data set cannot be used as given; the message names the folder or file and what to do.</summary>
public sealed class DataSetException(string message) : Exception(message);
