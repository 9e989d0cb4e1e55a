using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TransferLearning.Export;
using TransferLearning.Models;
using TransferLearning.Spec;
using TransferLearning.Training;

namespace TransferLearning.Tests.Export;

/// <summary>The exported ONNX model, run by ONNX Runtime on real photos, predicts what TorchSharp predicts.</summary>
public sealed class OnnxExportTests
{
    [Theory]
    [InlineData(HeadActivation.Relu, GlobalPooling.Avg)]
    [InlineData(HeadActivation.Gelu, GlobalPooling.Max)]
    public void Onnx_runtime_gives_the_same_probabilities_as_torchsharp(HeadActivation activation, GlobalPooling pooling)
    {
        var head = new HeadSpec { DenseUnits = [16], Dropout = 0.3, Activation = activation, GlobalPool = pooling, OutputClasses = 5 };
        using var model = ExampleData.NewModel(head);
        using var trained = new TransferModel(model.Backbone, pooling, model.Head);
        // A little training so the head is not at its initial values.
        new Trainer(trained, new TrainerOptions { Training = new TrainingSpec { BatchSize = 30 }, ClassNames = ExampleData.Classes }, [])
            .RunPhase(new TrainingPhase("fine_tune", 1, 1e-3, 3), ExampleData.Train, null, new TransferLearning.Data.BatchAugmenter(new AugmentationSpec(), 0));
        var info = new SavedModelInfo
        {
            Architecture = "ResNet18", Weights = "imagenet", ClassNames = ExampleData.Classes, ImageHeight = ExampleData.Size, ImageWidth = ExampleData.Size,
            Preprocessing = trained.Backbone.Preprocessing.Name, Pooling = pooling, Head = head,
        };
        var path = Path.Combine(Data.TestImages.NewFolder(), OnnxExport.FileName);
        OnnxExport.Write(trained, info, path);

        var expected = Trainer.Predict(trained, ExampleData.Validation, 10);
        int n = ExampleData.Validation.Count, size = ExampleData.Size;
        using var batch = ExampleData.Validation.Batch(Enumerable.Range(0, n).ToArray());
        using var session = new InferenceSession(path);
        var input = new DenseTensor<float>(batch.data<float>().ToArray(), [n, 3, size, size]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("rgb", input)]);
        var actual = results.Single(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();

        for (int i = 0; i < n; i++)
        {
            var row = actual.AsSpan(i * 5, 5).ToArray();
            Assert.Equal(Array.IndexOf(expected[i], expected[i].Max()), Array.IndexOf(row, row.Max()));
            for (int c = 0; c < 5; c++) Assert.InRange(row[c] - expected[i][c], -1e-4, 1e-4);
        }
        Assert.Contains(session.ModelMetadata.CustomMetadataMap, kv => kv.Key == "class_names" && kv.Value.Contains("tulips"));
    }
}
