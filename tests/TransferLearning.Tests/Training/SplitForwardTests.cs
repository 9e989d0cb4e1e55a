using TransferLearning.Models.Graph;
using TorchSharp;
using TransferLearning.Models.Onnx;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Training;

/// <summary>Running the graph in two halves (frozen prefix, trainable suffix) gives exactly the whole forward.</summary>
public sealed class SplitForwardTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]   // inside the first residual block: two values cross the cut
    [InlineData(53)]  // what fine_tune_unfreeze_layers = 20 cuts
    [InlineData(73)]
    public void Prefix_then_suffix_equals_forward(int cut)
    {
        using var model = ExampleData.NewModel();
        var graph = (LayerGraph)model.Backbone.Splittable!;
        model.eval();
        using var _ = no_grad();
        using var x = randn(2, 3, 64, 64);
        using var whole = graph.call(x);
        using var boundary = graph.ForwardPrefix(x, cut);
        using var split = graph.ForwardSuffix(boundary, cut);
        Assert.True(whole.allclose(split, 1e-5, 1e-5));
        Assert.False(x.IsInvalid);
    }

    [Fact]
    public void A_cut_across_a_residual_connection_carries_both_tensors()
    {
        using var model = ExampleData.NewModel();
        var graph = (LayerGraph)model.Backbone.Splittable!;
        using var _ = no_grad();
        using var x = randn(1, 3, 64, 64);
        // Layers: Conv, BN, Relu, MaxPool, Conv(4), BN, Relu, Conv, BN, Add(9): after layer 5 both the block input and the branch are live.
        using var boundary = graph.ForwardPrefix(x, 5);
        Assert.Equal(2, boundary.Values.Count);
    }
}
