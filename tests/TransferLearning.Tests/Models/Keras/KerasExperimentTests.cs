using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TransferLearning.Export;
using TransferLearning.Models.Weights;
using TransferLearning.Spec;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>The whole workflow with Keras backbones and the real Keras weights in ../shared/weights, on the bundled example at 128x128.</summary>
public sealed class KerasExperimentTests
{
    private const int Size = 128; // MobileNet alpha 0.25 sees too little at 64x64


    private static ExperimentSpec Spec(string output, string architecture, double alpha, string weights, string strategy = "freeze_then_finetune") =>
        SpecLoader.Parse($$$"""
        {
          "dataset": {"path": "{{{Path.Combine(ExampleData.Folder, "data")}}}", "image_size": [{{{Size}}}, {{{Size}}}], "validation_split": 0.2, "seed": 7},
          "model": {"base_architecture": "{{{architecture}}}", "alpha": {{{alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},
                    "weights": {{{(weights == "null" ? "null" : $"\"{weights}\"")}}}, "trainable_strategy": "{{{strategy}}}", "fine_tune_unfreeze_layers": 12},
          "training": {"feature_extraction_epochs": 2, "fine_tune_epochs": 1, "batch_size": 16,
                       "learning_rates": {"feature_extraction": 0.003, "fine_tune": 0.0001}},
          "outputs": {"export_saved_model": "{{{Path.Combine(output, "exported")}}}"}
        }
        """, output);

    [Fact]
    public void MobileNet_from_a_keras_h5_trains_fine_tunes_exports_and_reloads()
    {
        var output = Data.TestImages.NewFolder();
        var h5 = Path.Combine(SharedData.Root, "weights", "keras-mobilenet-a0.25-224", "mobilenet_v1_0.25_224.h5");
        var log = new List<string>();
        var result = Experiment.Run(Spec(output, "MobileNet", 0.25, h5), new RunOptions { OutputDirectory = Path.Combine(output, "run"), Log = log.Add });

        Assert.Equal(3, result.History.Epochs.Count);
        Assert.Contains(log, l => l.Contains("layers loaded by name") && l.Contains("not in the model ignored")); // the file's ImageNet top
        Assert.Contains(log, l => l.Contains("backbone MobileNet: 86 layers")); // Keras: len(MobileNet(include_top=False).layers) == 86
        Assert.Contains(log, l => l.Contains("12 backbone layers trainable"));
        Assert.True(result.Validation!.Report.Accuracy > 0.4, $"validation accuracy {result.Validation.Report.Accuracy}");

        using var predictor = Predictor.Load(result.ModelDirectory);
        Assert.Equal(0.25, predictor.Info.Alpha);
        var (reloaded, _) = predictor.Evaluate(Path.Combine(ExampleData.Folder, "data"));
        Assert.Equal(150, reloaded.ConfusionMatrix.Total);

        // The exported ONNX file (TF "same" padding, ZeroPadding2D, ReLU6 as Clip) gives the same probabilities in ONNX Runtime.
        var images = TransferLearning.Data.DecodedImages.Decode(ExampleData.Validation.Records, Size, Size);
        int n = images.Count;
        using var batch = images.Batch(Enumerable.Range(0, n).ToArray());
        using var expected = predictor.PredictProbabilities(batch);
        using var session = new InferenceSession(Path.Combine(result.ModelDirectory, OnnxExport.FileName));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("rgb", new DenseTensor<float>(batch.data<float>().ToArray(), [n, 3, Size, Size]))]);
        var actual = results.Single(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
        var want = expected.data<float>().ToArray();
        Assert.Equal(want.Length, actual.Length);
        Assert.All(want.Zip(actual), p => Assert.InRange(p.First - p.Second, -1e-4, 1e-4));
    }

    [Fact]
    public void MobileNetV2_from_a_tfjs_export_trains_as_a_feature_extractor()
    {
        var output = Data.TestImages.NewFolder();
        var json = Path.Combine(SharedData.Root, "weights", "keras-mobilenetv2-a0.35-224-notop-tfjs", "model.json");
        var log = new List<string>();
        var result = Experiment.Run(Spec(output, "MobileNetV2", 0.35, json, "feature_extraction"), new RunOptions { OutputDirectory = Path.Combine(output, "run"), Log = log.Add });
        Assert.Contains(log, l => l.Contains("backbone MobileNetV2: 154 layers")); // Keras: len(MobileNetV2(include_top=False).layers) == 154
        Assert.True(result.Validation!.Report.Accuracy > 0.4, $"validation accuracy {result.Validation.Report.Accuracy}");
    }

    [Fact]
    public void Random_initialisation_warns()
    {
        var output = Data.TestImages.NewFolder();
        var log = new List<string>();
        var spec = Spec(output, "MobileNetV2", 0.35, "null", "feature_extraction") with { Training = new TrainingSpec { FeatureExtractionEpochs = 1, BatchSize = 32 } };
        Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(output, "run"), Log = log.Add });
        Assert.Contains(log, l => l.Contains("random weights") && l.Contains("transfer learning expects pretrained"));
    }

    [Fact]
    public void Imagenet_weights_that_are_not_cached_offline_give_one_clear_line()
    {
        var output = Data.TestImages.NewFolder();
        var saved = (Environment.GetEnvironmentVariable("TL_OFFLINE"), Environment.GetEnvironmentVariable(WeightsCache.DirectoryVariable), Environment.GetEnvironmentVariable(WeightsCache.KerasHomeVariable));
        try
        {
            Environment.SetEnvironmentVariable("TL_OFFLINE", "1");
            Environment.SetEnvironmentVariable(WeightsCache.DirectoryVariable, Path.Combine(output, "cache"));
            Environment.SetEnvironmentVariable(WeightsCache.KerasHomeVariable, Path.Combine(output, "keras"));
            var error = Assert.Throws<WeightsUnavailableException>(() =>
                Experiment.Run(Spec(output, "MobileNet", 0.25, "imagenet"), new RunOptions { OutputDirectory = Path.Combine(output, "run") }));
            Assert.Contains("mobilenet_2_5_224_tf_no_top.h5", error.Message);
            Assert.Contains("https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/mobilenet_2_5_224_tf_no_top.h5", error.Message);
            Assert.Contains(Path.Combine(output, "cache"), error.Message);
            Assert.Contains("ResNet18", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TL_OFFLINE", saved.Item1);
            Environment.SetEnvironmentVariable(WeightsCache.DirectoryVariable, saved.Item2);
            Environment.SetEnvironmentVariable(WeightsCache.KerasHomeVariable, saved.Item3);
        }
    }

    [Fact]
    public void Weights_of_another_alpha_are_refused_listing_the_mismatches()
    {
        var output = Data.TestImages.NewFolder();
        var h5 = Path.Combine(SharedData.Root, "weights", "keras-mobilenet-a0.25-224", "mobilenet_v1_0.25_224.h5");
        var error = Assert.Throws<SpecException>(() => Experiment.Run(Spec(output, "MobileNet", 0.5, h5), new RunOptions { OutputDirectory = Path.Combine(output, "run") }));
        Assert.Contains("model.weights", error.Message);
        Assert.Contains("conv1/kernel: the file has [3, 3, 3, 8], the model needs [3, 3, 3, 16]", error.Message);
        Assert.Contains("conv_pw_13/kernel", error.Message.Replace("; ...", "conv_pw_13/kernel")); // many at once
    }
}
