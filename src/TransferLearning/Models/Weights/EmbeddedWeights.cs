namespace TransferLearning.Models.Weights;

/// <summary>
/// Finds weight files that ship with the application: ML.NET's ResNet-18 package copies
/// <c>DnnImageModels/</c> into every build output that references this library.
/// </summary>
public static class EmbeddedWeights
{
    /// <summary>The ResNet-18 backbone (CNTK export, ImageNet, 512-d pooled output).</summary>
    public const string ResNet18 = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>Its preprocessing graph (RGB to BGR, minus the mean image).</summary>
    public const string ResNet18Preprocess = "DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx";

    /// <summary>The full path of an embedded file, looked up next to the application and next to this library.</summary>
    /// <exception cref="FileNotFoundException">The file is not there; the message says why that happens and what to do.</exception>
    public static string Locate(string relativePath)
    {
        var roots = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(EmbeddedWeights).Assembly.Location) ?? "" };
        foreach (var root in roots.Distinct())
        {
            var candidate = Path.Combine(root, relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"{relativePath} is not next to the application ({AppContext.BaseDirectory}). It comes from the NuGet package " +
            "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0, which this library references; rebuild so that its files are copied to the output.",
            relativePath);
    }
}
