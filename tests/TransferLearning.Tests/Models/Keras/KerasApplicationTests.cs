using TorchSharp;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Graph;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Registry;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>Every Keras application: Keras' own parameter count, a training step, and weights through an .h5 file and back.</summary>
public sealed class KerasApplicationTests
{
    /// <summary><c>model.count_params()</c> with <c>include_top=True</c> and 1000 classes, as Keras' applications documentation lists it.</summary>
    public static readonly TheoryData<string, long> KerasParameterCounts = new()
    {
        { "MobileNet", 4_253_864 },
        { "MobileNetV2", 3_538_984 },
        { "ResNet50", 25_636_712 },
        { "ResNet101", 44_707_176 },
        { "ResNet152", 60_419_944 },
        { "VGG16", 138_357_544 },
        { "VGG19", 143_667_240 },
        { "DenseNet121", 8_062_504 },
        { "DenseNet169", 14_307_880 },
        { "DenseNet201", 20_242_984 },
        { "InceptionV3", 23_851_784 },
        { "EfficientNetB0", 5_330_571 },
        { "EfficientNetB1", 7_856_239 },
        { "EfficientNetB2", 9_177_569 },
        { "EfficientNetB3", 12_320_535 },
        { "EfficientNetB4", 19_466_823 },
        { "EfficientNetB5", 30_562_527 },
        { "EfficientNetB6", 43_265_143 },
        { "EfficientNetB7", 66_658_687 },
    };

    public static TheoryData<string> Names => new(KerasParameterCounts.Select(row => (string)row[0]));

    private static KerasApplication Application(string name) => KerasApplications.Get(name);

    /// <summary>Parameters plus buffers: Keras counts non-trainable weights (moving statistics, Normalization's mean/variance/count) too.</summary>
    private static long CountParams(nn.Module module) => module.parameters().Sum(p => p.numel()) + module.buffers().Sum(b => b.numel());

    [Theory]
    [MemberData(nameof(KerasParameterCounts))]
    public void Parameter_count_with_top_equals_Keras(string name, long expected)
    {
        TorchRuntime.EnsureLoaded();
        using var graph = Application(name).Build(new KerasApplicationOptions(IncludeTop: true), out _);
        Assert.Equal(expected, CountParams(graph));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_and_backward_on_a_small_batch(string name)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(3);
        using var graph = Application(name).Build(new KerasApplicationOptions(), out var channels);
        graph.train();
        int size = name == "InceptionV3" ? 75 : 64; // Keras' minimum input sizes
        using var scope = NewDisposeScope();
        var output = graph.call(randn(2, 3, size, size));
        Assert.Equal(new long[] { 2, channels }, output.shape[..2]);
        output.square().mean().backward();
        foreach (var (parameter, value) in graph.named_parameters())
        {
            Assert.NotNull(value.grad);
            Assert.True(value.grad!.isfinite().all().item<bool>(), $"{parameter}: gradient not finite");
        }
        Assert.Contains(graph.parameters(), p => p.grad!.abs().sum().item<float>() > 0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Weights_round_trip_through_an_h5_file(string name)
    {
        TorchRuntime.EnsureLoaded();
        var application = Application(name);
        manual_seed(4);
        using var original = application.Build(new KerasApplicationOptions(), out _);
        RandomiseStatistics(original);
        var path = Path.Combine(Path.GetTempPath(), $"tl-roundtrip-{Guid.NewGuid():N}.h5");
        try
        {
            KerasH5.Write(path, KerasWeightLoader.Collect(original));
            manual_seed(5);
            using var copy = application.Build(new KerasApplicationOptions(), out _);
            Assert.Contains("by name", KerasWeightLoader.Load(copy, KerasH5.Read(path)));
            foreach (var ((key, a), (_, b)) in original.state_dict().Zip(copy.state_dict()))
                Assert.True(TensorAssert.Same(a, b), $"{key} differs after the round trip");
            original.eval();
            copy.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = randn(1, 3, 96, 96);
            Assert.True(TensorAssert.Same(original.call(input), copy.call(input)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Moving statistics start at 0 and 1; make them distinct so the round trip checks them too.</summary>
    private static void RandomiseStatistics(LayerGraph graph)
    {
        using var noGrad = no_grad();
        foreach (var (key, buffer) in graph.named_buffers())
            if (buffer.is_floating_point()) buffer.copy_(rand_like(buffer) + 0.5);
    }
}
