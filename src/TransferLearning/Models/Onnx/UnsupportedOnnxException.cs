namespace TransferLearning.Models.Onnx;

/// <summary>An ONNX graph uses something the importer cannot turn into TorchSharp modules; the message names the node.</summary>
public sealed class UnsupportedOnnxException(string message) : Exception(message);
