using TransferLearning.Spec;

namespace TransferLearning.Tests.Spec;

public sealed class SpecLoaderTests
{
    private static SpecException Invalid(string json) => Assert.Throws<SpecException>(() => SpecLoader.Parse(json, "/tmp"));

    [Fact]
    public void The_seed_example_loads_with_keras_meanings()
    {
        var spec = SpecLoader.Parse(SharedData.SeedSpecJson().Replace("\"data/flowers/\"", "\"/data/flowers\""), "/specs");
        Assert.Equal("/data/flowers", spec.Dataset.Path);
        Assert.Equal([224, 224], spec.Dataset.ImageSize!);
        Assert.Equal(0.2, spec.Dataset.ValidationSplit);
        Assert.Equal(42, spec.Dataset.Seed);
        Assert.Equal("EfficientNetB0", spec.Model.BaseArchitecture);
        Assert.Equal(TrainableStrategy.FreezeThenFinetune, spec.Model.TrainableStrategy);
        Assert.Equal(20, spec.Model.FineTuneUnfreezeLayers);
        Assert.Equal([256], spec.Head.DenseUnits);
        Assert.Equal(0.3, spec.Head.Dropout);
        Assert.Equal(5, spec.Head.OutputClasses);
        Assert.Equal(5, spec.Training.FeatureExtractionEpochs);
        Assert.Equal(10, spec.Training.FineTuneEpochs);
        Assert.Equal(0.001, spec.Training.FeatureExtractionLearningRate);
        Assert.Equal(0.0001, spec.Training.FineTuneLearningRate);
        Assert.Equal(new EarlyStoppingSpec { Monitor = "val_loss", Patience = 3 }, spec.Training.EarlyStopping);
        Assert.Equal(new CheckpointSpec { Monitor = "val_accuracy", SaveBestOnly = true }, spec.Training.Checkpoint);
        Assert.True(spec.Augmentation.IsActive);
        Assert.Equal([0.9, 1.1], spec.Augmentation.ZoomRange.Select(z => Math.Round(z, 6)));
        Assert.Equal(15, spec.Augmentation.RotationRange);
        Assert.Equal(["accuracy", "precision", "recall", "f1"], spec.Metrics);
        Assert.Equal("models/efficientnet_flowers", spec.Outputs.ExportSavedModel);
        Assert.Equal("/specs/models/efficientnet_flowers", spec.Resolve(spec.Outputs.ExportSavedModel!));
    }

    [Fact]
    public void Defaults_apply_where_the_spec_is_silent()
    {
        var spec = SpecLoader.Parse("""{"dataset": {"path": "d"}}""", "/x");
        Assert.Equal("ResNet18", spec.Model.BaseArchitecture);
        Assert.Equal("imagenet", spec.Model.Weights);
        Assert.Equal(32, spec.Training.BatchSize);
        Assert.Null(spec.Dataset.ValidationSplit);
        Assert.Null(spec.Training.EarlyStopping);
        Assert.False(spec.Augmentation.IsActive);
        Assert.Equal(TransferLearning.Models.GlobalPooling.Avg, spec.Head.GlobalPool);
    }

    [Fact]
    public void Misspelled_architecture_gets_a_suggestion_and_the_known_list()
    {
        var error = Assert.Single(Invalid("""{"dataset": {"path": "d"}, "model": {"base_architecture": "EficientNetB0"}}""").Errors);
        Assert.Equal("model.base_architecture", error.Path);
        Assert.Contains("\"EficientNetB0\" is not known; did you mean \"EfficientNetB0\"?", error.Message);
        Assert.Contains("ResNet18", error.Message);
    }

    [Fact]
    public void Unknown_keys_are_errors_with_a_suggestion()
    {
        var error = Assert.Single(Invalid("""{"dataset": {"path": "d", "validaton_split": 0.2}}""").Errors);
        Assert.Equal("dataset.validaton_split", error.Path);
        Assert.Contains("did you mean \"validation_split\"", error.Message);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var errors = Invalid("""
            {"dataset": {"path": 12, "validation_split": 1.5, "image_size": [-1, 224]},
             "training": {"batch_size": "32", "early_stopping": {"monitor": "val_los"}},
             "head": {"dropout": 1.0, "output_activation": "sigmoid"},
             "metrics": ["accuracy", "f2"]}
            """).Errors.Select(e => e.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["dataset.image_size[0]", "dataset.path", "dataset.validation_split", "head.dropout", "head.output_activation",
             "metrics[1]", "training.batch_size", "training.early_stopping.monitor"],
            errors);
    }

    [Theory]
    [InlineData("""{"dataset": {"path": "d", "validation_split": 0}}""", "dataset.validation_split", "out of range")]
    [InlineData("""{"dataset": {"path": "d", "validation_split": 1}}""", "dataset.validation_split", "(0, 1)")]
    [InlineData("""{"dataset": {"path": "d", "seed": 1.5}}""", "dataset.seed", "whole number")]
    [InlineData("""{"dataset": {"path": "d", "image_size": [224]}}""", "dataset.image_size", "[height, width]")]
    [InlineData("""{"dataset": {"path": "d", "image_size": [0, 224]}}""", "dataset.image_size[0]", "[8, 4096]")]
    [InlineData("""{"dataset": {"path": "d"}, "training": {"batch_size": -32}}""", "training.batch_size", "out of range")]
    [InlineData("""{"dataset": {"path": "d", "seed": 1, "seed": 2}}""", "dataset.seed", "duplicate key")]
    [InlineData("""{"dataset": {"path": "d"}, "model": {"include_top": true}}""", "model.include_top", "set false")]
    [InlineData("""{"dataset": {"path": "d"}, "model": {"include_top": "no"}}""", "model.include_top", "true or false")]
    [InlineData("""{"dataset": {"path": "d"}, "training": {"early_stopping": {"monitor": "val_loss"}}}""", "training.early_stopping.monitor", "needs validation data")]
    [InlineData("""{"dataset": {"path": "d", "class_mode": "binary"}}""", "dataset.class_mode", "not supported")]
    [InlineData("""{"dataset": {"path": "d"}, "task": "segmentation"}""", "task", "only task")]
    [InlineData("""{"dataset": {}}""", "dataset.path", "is required")]
    [InlineData("""{"dataset": {"path": "d"}, "augmentation": {"zoom_range": [1.2, 0.8]}}""", "augmentation.zoom_range", "lower <= upper")]
    [InlineData("""{"dataset": {"path": "d"}, "outputs": {"plots": ["acuracy_curve"]}}""", "outputs.plots[0]", "did you mean \"accuracy_curve\"")]
    [InlineData("""[1, 2]""", "(root)", "expected an object")]
    public void Bad_values_name_the_field_and_what_to_do(string json, string path, string message)
    {
        var errors = Invalid(json).Errors;
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void Broken_json_names_the_line()
    {
        var error = Assert.Single(Invalid("{\n  \"dataset\": {\"path\": \"d\",}\n}").Errors);
        Assert.StartsWith("line 2", error.Path);
    }

    [Fact]
    public void Missing_spec_file_is_a_clear_error()
    {
        var error = Assert.Throws<SpecException>(() => SpecLoader.Load("/nonexistent/spec.json"));
        Assert.Contains("/nonexistent/spec.json", error.Message);
        Assert.Contains("does not exist", error.Message);
    }
}
