namespace TransferLearning.Data;

/// <summary>One labelled image file: its path and its class index (into the data set's class names).</summary>
public sealed record ImageRecord(string Path, int Label);
