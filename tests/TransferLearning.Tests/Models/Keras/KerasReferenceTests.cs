using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Preprocessing;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>
/// Our Keras ports against the real Keras weights in ../shared/weights and the reference outputs in
/// ../shared/fixtures/keras-reference (computed by TensorFlow.js from the same weights).
/// </summary>
public sealed class KerasReferenceTests
{
    private static string Weights(string relative) => Path.Combine(SharedData.Root, "weights", relative);
    private static string Fixture(string name) => Path.Combine(SharedData.Root, "fixtures", "keras-reference", name);

    private static Tensor ReadNhwcAsNchw(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        using var nhwc = tensor(values).reshape(-1, 224, 224, 3);
        return nhwc.permute(0, 3, 1, 2).contiguous();
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    [Fact]
    public void MobileNetV2_lists_its_layers_in_the_order_of_the_real_exported_Keras_topology()
    {
        // The export's inner model "model2" is Keras' MobileNetV2(alpha=0.35) as Keras serialised it: model.layers in
        // order. Its residual adds make the order depend on how ties are broken, which decides loading by order and
        // which layers fine_tune_unfreeze_layers counts.
        TorchRuntime.EnsureLoaded();
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Weights("keras-mobilenetv2-a0.35-224-notop-tfjs/model.json")));
        var keras = FindModel(json.RootElement.GetProperty("modelTopology"), "model2")!.Value.GetProperty("config").GetProperty("layers")
            .EnumerateArray().Where(l => l.GetProperty("class_name").GetString() != "InputLayer")
            .Select(l => l.GetProperty("config").GetProperty("name").GetString()).ToList();
        using var ours = MobileNetV2.Application.Build(new KerasApplicationOptions(0.35), out _);
        // Keras 2.2, which built the exported model, padded the stem with a layer Conv1_pad; Keras 3 uses padding "same".
        Assert.Equal(keras.Where(n => n != "Conv1_pad"), ours.Layers.Select(l => l.GetName()).Where(n => n != "input_layer"));
    }

    private static System.Text.Json.JsonElement? FindModel(System.Text.Json.JsonElement layer, string name)
    {
        var config = layer.GetProperty("config");
        if (config.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
        if (config.TryGetProperty("name", out var n) && n.GetString() == name) return layer;
        if (!config.TryGetProperty("layers", out var layers)) return null;
        foreach (var inner in layers.EnumerateArray())
            if (FindModel(inner, name) is { } found) return found;
        return null;
    }

    [Fact]
    public void MobileNet_alpha_025_with_its_h5_gives_Keras_probabilities()
    {
        TorchRuntime.EnsureLoaded();
        var graph = MobileNet.Application.Build(new KerasApplicationOptions(0.25, IncludeTop: true), out _);
        var summary = KerasWeightLoader.Load(graph, KerasH5.Read(Weights("keras-mobilenet-a0.25-224/mobilenet_v1_0.25_224.h5")));
        Assert.Contains("by name", summary);
        Assert.Equal(475_544, graph.parameters().Sum(p => p.numel()) + graph.buffers().Sum(b => b.numel()));
        graph.eval();
        using var noGrad = no_grad();
        using var input = ReadNhwcAsNchw(Fixture("mobilenet_a0.25_input_nhwc.f32"));
        using var probabilities = graph.call(input);
        var expected = ReadFloats(Fixture("mobilenet_a0.25_probs.f32"));
        var actual = probabilities.contiguous().data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-4, $"largest probability difference {worst}");
        Assert.Equal(985, probabilities[0].argmax().item<long>());
    }

    [Fact]
    public void MobileNetV2_alpha_035_with_the_tfjs_weights_gives_Keras_features()
    {
        TorchRuntime.EnsureLoaded();
        var graph = MobileNetV2.Application.Build(new KerasApplicationOptions(0.35), out var channels);
        Assert.Equal(1280, channels);
        var summary = KerasWeightLoader.Load(graph, TfjsWeights.Read(Weights("keras-mobilenetv2-a0.35-224-notop-tfjs/model.json")));
        Assert.Contains("by name", summary);
        graph.eval();
        using var noGrad = no_grad();
        using var input = ReadNhwcAsNchw(Fixture("mobilenetv2_a0.35_input_nhwc.f32"));
        using var map = graph.call(input);
        using var features = map.mean([2, 3]);
        var expected = ReadFloats(Fixture("mobilenetv2_a0.35_gap_features.f32"));
        var actual = features.contiguous().data<float>().ToArray();
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).Max();
        Assert.True(worst < 1e-4, $"largest feature difference {worst}");
    }

    [Fact]
    public void MobileNet_classifies_real_daisy_photos_as_daisy_through_our_decoder_and_preprocessing()
    {
        TorchRuntime.EnsureLoaded();
        var graph = MobileNet.Application.Build(new KerasApplicationOptions(0.25, IncludeTop: true), out _);
        KerasWeightLoader.Load(graph, KerasH5.Read(Weights("keras-mobilenet-a0.25-224/mobilenet_v1_0.25_224.h5")));
        graph.eval();
        var daisies = Directory.GetFiles(Path.Combine(SharedData.Flowers, "daisy"), "*.jpg").Order(StringComparer.Ordinal).Take(8)
            .Select(p => new ImageRecord(p, 0)).ToList();
        var decoded = DecodedImages.Decode(daisies, 224, 224);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var rgb = decoded.Batch(Enumerable.Range(0, decoded.Count).ToArray());
        var probabilities = graph.call(KerasPreprocessing.ForMode("tf").Apply(rgb));
        var top5 = probabilities.topk(5, 1).indexes;
        int withDaisy = Enumerable.Range(0, decoded.Count).Count(i => top5[i].data<long>().Contains(985));
        Assert.True(withDaisy >= 6, $"only {withDaisy} of {decoded.Count} daisy photos have ImageNet class 985 (daisy) in their top 5");
    }
}
