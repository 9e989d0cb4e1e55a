using TransferLearning.Models.Graph;
using TorchSharp;
using TransferLearning.Models;
using TransferLearning.Models.Onnx;
using TransferLearning.Spec;

namespace TransferLearning.Training;

/// <summary>
/// Which backbone layers train, counted as Keras counts <c>base_model.layers[-N:]</c>: every layer in
/// forward order (for an imported ONNX graph, every node: Conv, BatchNormalization, Relu, Add, pooling).
/// The head always trains. BatchNorm layers stay in inference mode when frozen, and also when trainable
/// unless <c>model.batchnorm</c> is "train" (Keras' advice for fine-tuning).
/// </summary>
public static class FreezePlan
{
    /// <summary>Makes only the last <paramref name="trainableLayers"/> backbone layers (and the head) require gradients; returns their names.</summary>
    public static IReadOnlyList<string> Apply(TransferModel model, int trainableLayers)
    {
        var layers = model.Backbone.Layers;
        int boundary = FirstTrainable(model, trainableLayers);
        for (int i = 0; i < layers.Count; i++)
            foreach (var p in layers[i].parameters()) p.requires_grad = i >= boundary;
        foreach (var p in model.Head.parameters()) p.requires_grad = true;
        return layers.Skip(boundary).Select(l => l.GetName()).ToList();
    }

    /// <summary>Index of the first trainable backbone layer (the cut between frozen and trainable).</summary>
    public static int FirstTrainable(TransferModel model, int trainableLayers) =>
        model.Backbone.Layers.Count - Math.Clamp(trainableLayers, 0, model.Backbone.Layers.Count);

    /// <summary>Puts the model in training mode, with frozen layers and (per <paramref name="mode"/>) BatchNorm layers in inference mode.</summary>
    public static void TrainMode(TransferModel model, int trainableLayers, BatchNormMode mode)
    {
        model.train();
        var layers = model.Backbone.Layers;
        int boundary = FirstTrainable(model, trainableLayers);
        for (int i = 0; i < layers.Count; i++)
            if (i < boundary || (mode == BatchNormMode.Frozen && IsBatchNorm(layers[i]))) layers[i].eval();
    }

    /// <summary>BatchNorm, and dropout inside the backbone: both run as Keras' <c>base_model(x, training=False)</c> unless BatchNorm trains.</summary>
    private static bool IsBatchNorm(torch.nn.Module layer) =>
        layer is GraphLayer { OpType: "BatchNormalization" or "Dropout" } || layer is TorchSharp.Modules.BatchNorm2d;
}
