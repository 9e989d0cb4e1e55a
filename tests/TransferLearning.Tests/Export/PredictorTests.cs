using TransferLearning.Export;
using TransferLearning.Models;
using TransferLearning.Spec;

namespace TransferLearning.Tests.Export;

public sealed class PredictorTests
{
    [Fact]
    public void Saved_model_round_trips_and_unreadable_images_do_not_stop_the_others()
    {
        var folder = Data.TestImages.NewFolder();
        using var model = ExampleData.NewModel(new HeadSpec { DenseUnits = [8] });
        var info = new SavedModelInfo
        {
            Architecture = "ResNet18", Weights = "imagenet", ClassNames = ExampleData.Classes, ImageHeight = 64, ImageWidth = 64,
            Preprocessing = model.Backbone.Preprocessing.Name, Pooling = GlobalPooling.Avg, Head = new HeadSpec { DenseUnits = [8], OutputClasses = 5 },
        };
        SavedModel.Save(model, info, folder);
        var expected = TransferLearning.Training.Trainer.Predict(model, ExampleData.Validation, 8);

        using var predictor = Predictor.Load(folder);
        var broken = Path.Combine(folder, "broken.jpg");
        File.WriteAllBytes(broken, [1, 2, 3]);
        var paths = ExampleData.Validation.Records.Select(r => r.Path).Take(3).Append(broken).ToList();
        var predictions = predictor.Predict(paths, topK: 2);

        Assert.Equal(paths, predictions.Select(p => p.Path));
        Assert.Contains("broken.jpg", predictions[3].Error);
        Assert.Empty(predictions[3].Top);
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(predictions[i].Error);
            Assert.Equal(2, predictions[i].Top.Count);
            var best = expected[i].Select((p, c) => (p, c)).MaxBy(x => x.p);
            Assert.Equal(ExampleData.Classes[best.c], predictions[i].Top[0].Label);
            Assert.Equal(best.p, predictions[i].Top[0].Probability, 5);
        }
    }

    [Fact]
    public void Loading_a_folder_that_is_not_a_model_says_so()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Predictor.Load(Data.TestImages.NewFolder()));
        Assert.Contains("model.json", error.Message);
    }
}
