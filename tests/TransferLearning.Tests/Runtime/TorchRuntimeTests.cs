using TorchSharp;
using TransferLearning.Runtime;

namespace TransferLearning.Tests.Runtime;

/// <summary>libtorch loads in this process and computes correctly, whether or not the patch was needed.</summary>
public sealed class TorchRuntimeTests
{
    [Fact]
    public void Loads_libtorch_and_trains_a_tiny_model()
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(0);
        var x = torch.randn(64, 3);
        var y = x.matmul(torch.tensor(new float[] { 1, -2, 0.5f }).unsqueeze(1));
        var w = new TorchSharp.Modules.Parameter(torch.zeros(3, 1));
        var opt = torch.optim.SGD([w], 0.1);
        for (int i = 0; i < 200; i++)
        {
            opt.zero_grad();
            var loss = torch.nn.functional.mse_loss(x.matmul(w), y);
            loss.backward();
            opt.step();
        }
        Assert.Equal([1f, -2f, 0.5f], w.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Fact]
    public void Cache_folder_honours_the_environment_override()
    {
        var before = Environment.GetEnvironmentVariable(TorchRuntime.CacheVariable);
        try
        {
            Environment.SetEnvironmentVariable(TorchRuntime.CacheVariable, "/tmp/tl-native-test");
            Assert.Equal("/tmp/tl-native-test", TorchRuntime.CacheDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchRuntime.CacheVariable, before);
        }
    }
}
