using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Graph;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Preprocessing;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>The real MobileNetV2 alpha 0.35 weights give features a linear classifier can use; a randomly initialised copy's are far worse.</summary>
public sealed class LinearProbeTests
{
    [Fact]
    public void Pretrained_MobileNetV2_features_beat_a_random_initialisation_by_far()
    {
        TorchRuntime.EnsureLoaded();
        var train = DecodedImages.Decode(ExampleData.Train.Records, 128, 128);
        var validation = DecodedImages.Decode(ExampleData.Validation.Records, 128, 128);
        manual_seed(11);
        using var pretrained = MobileNetV2.Application.Build(new KerasApplicationOptions(0.35), out _);
        KerasWeightLoader.Load(pretrained, TfjsWeights.Read(Path.Combine(SharedData.Root, "weights", "keras-mobilenetv2-a0.35-224-notop-tfjs", "model.json")));
        manual_seed(11);
        using var random = MobileNetV2.Application.Build(new KerasApplicationOptions(0.35), out _);

        double pretrainedAccuracy = Probe(pretrained, train, validation), randomAccuracy = Probe(random, train, validation);
        Assert.True(pretrainedAccuracy >= 0.7, $"pretrained probe {pretrainedAccuracy:P0}");
        Assert.True(pretrainedAccuracy >= randomAccuracy + 0.25, $"pretrained {pretrainedAccuracy:P0} vs random {randomAccuracy:P0}");
    }

    /// <summary>Validation accuracy of a logistic regression on pooled features (full-batch Adam).</summary>
    private static double Probe(LayerGraph backbone, DecodedImages train, DecodedImages validation)
    {
        using var scope = NewDisposeScope(); // every tensor made here
        backbone.eval();
        var (xTrain, yTrain) = Features(backbone, train);
        var (xValidation, yValidation) = Features(backbone, validation);
        // Standardised features, as a probe should see them whatever the backbone's scale.
        var mean = xTrain.mean([0], keepdim: true);
        var std = xTrain.std(0, keepdim: true) + 1e-6;
        using var head = nn.Linear(xTrain.shape[1], 5);
        using var optimizer = optim.Adam(head.parameters(), 0.01);
        for (int step = 0; step < 200; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(head.call((xTrain - mean) / std), yTrain).backward();
            optimizer.step();
        }
        using var noGrad = no_grad();
        var logits = head.call((xValidation - mean) / std);
        return logits.argmax(1).eq(yValidation).to(ScalarType.Float32).mean().item<float>();
    }

    private static (Tensor X, Tensor Y) Features(LayerGraph backbone, DecodedImages images)
    {
        using var noGrad = no_grad();
        var rgb = images.Batch(Enumerable.Range(0, images.Count).ToArray());
        return (backbone.call(KerasPreprocessing.ForMode("tf").Apply(rgb)).mean([2, 3]), tensor(images.Records.Select(r => (long)r.Label).ToArray()));
    }
}
