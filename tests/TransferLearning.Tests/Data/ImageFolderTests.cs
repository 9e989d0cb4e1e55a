using SkiaSharp;
using TransferLearning.Data;
using TransferLearning.Spec;

namespace TransferLearning.Tests.Data;

/// <summary>The directory data set, its split and the bad-input catalogue of folders.</summary>
public sealed class ImageFolderTests
{
    private readonly string _root = TestImages.NewFolder();

    private string Photo(string relative, SKColor? color = null)
    {
        using var bitmap = TestImages.Halves(24, 24, color ?? SKColors.Orange, SKColors.Green);
        return TestImages.Write(Path.Combine(_root, relative), bitmap);
    }

    [Fact]
    public void Classes_are_sorted_sub_folders_and_other_files_are_listed_as_ignored()
    {
        Photo("tulips/a.jpg");
        Photo("daisy/b.jpg");
        Photo("daisy/nested/c.jpeg");
        File.WriteAllText(Path.Combine(_root, "daisy", "notes.txt"), "not an image");
        var folder = ImageFolder.Scan(_root);
        Assert.Equal(["daisy", "tulips"], folder.ClassNames);
        Assert.Equal([2, 1], folder.ClassCounts);
        Assert.Equal([Path.Combine("daisy", "notes.txt")], folder.Ignored);
    }

    [Fact]
    public void Class_names_fix_the_order_and_subset()
    {
        Photo("a/1.jpg");
        Photo("b/1.jpg");
        Photo("c/1.jpg");
        var folder = ImageFolder.Scan(_root, ["c", "a"]);
        Assert.Equal(["c", "a"], folder.ClassNames);
        Assert.All(folder.Images, r => Assert.Contains(folder.ClassNames[r.Label], r.Path));
        var error = Assert.Throws<DataSetException>(() => ImageFolder.Scan(_root, ["a", "zebra"]));
        Assert.Contains("zebra", error.Message);
    }

    [Fact]
    public void Missing_folder_file_instead_of_folder_and_empty_folder_are_clear_errors()
    {
        Assert.Contains("does not exist", Assert.Throws<DataSetException>(() => ImageFolder.Scan(Path.Combine(_root, "nope"))).Message);
        var file = Photo("x.jpg");
        Assert.Contains("is a file", Assert.Throws<DataSetException>(() => ImageFolder.Scan(file)).Message);
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        Assert.Contains("no class sub-folders", Assert.Throws<DataSetException>(() => ImageFolder.Scan(empty)).Message);
    }

    [Fact]
    public void A_class_folder_without_images_is_an_error_naming_it()
    {
        Photo("roses/1.jpg");
        Directory.CreateDirectory(Path.Combine(_root, "tulips"));
        File.WriteAllText(Path.Combine(_root, "tulips", "readme.md"), "x");
        var error = Assert.Throws<DataSetException>(() => ImageFolder.Scan(_root));
        Assert.Contains("tulips", error.Message);
    }

    [Fact]
    public void Symlinked_class_folders_and_non_ascii_names_work()
    {
        var elsewhere = TestImages.NewFolder();
        using (var bitmap = TestImages.Halves(24, 24, SKColors.Yellow, SKColors.Blue))
            TestImages.Write(Path.Combine(elsewhere, "tournesol_été_🌻.jpg"), bitmap);
        Directory.CreateSymbolicLink(Path.Combine(_root, "sunflowers"), elsewhere);
        Photo("marguerite_é/фото.jpg");
        var folder = ImageFolder.Scan(_root);
        Assert.Equal(["marguerite_é", "sunflowers"], folder.ClassNames);
        var decoded = DecodedImages.Decode(folder.Images, 16, 16);
        Assert.Empty(decoded.Skipped);
        Assert.Equal(2, decoded.Count);
    }

    [Fact]
    public void Undecodable_files_are_skipped_with_the_file_named_and_the_rest_kept()
    {
        Photo("a/good.jpg");
        Photo("b/good.jpg");
        File.WriteAllBytes(Path.Combine(_root, "a", "corrupt.jpg"), [0xFF, 0xD8, 0xFF, 0x00, 0x12]);
        File.WriteAllBytes(Path.Combine(_root, "b", "zero.png"), []);
        var decoded = DecodedImages.Decode(ImageFolder.Scan(_root).Images, 16, 16);
        Assert.Equal(2, decoded.Count);
        Assert.Equal(2, decoded.Skipped.Count);
        Assert.Contains(decoded.Skipped, e => e.Path.EndsWith("corrupt.jpg"));
        Assert.Contains(decoded.Skipped, e => e.Path.EndsWith("zero.png"));
    }

    [Fact]
    public void A_class_whose_images_are_all_broken_stops_preparation()
    {
        Photo("a/good.jpg");
        Photo("a/good2.jpg");
        Directory.CreateDirectory(Path.Combine(_root, "b"));
        File.WriteAllBytes(Path.Combine(_root, "b", "broken.jpg"), [1, 2, 3]);
        var spec = new ExperimentSpec { BaseDirectory = _root, Dataset = new DatasetSpec { Path = _root } };
        var error = Assert.Throws<DataSetException>(() => DataPreparation.Prepare(spec, 1, 16, 16, _ => { }));
        Assert.Contains("b", error.Message);
        Assert.Contains("no readable training images", error.Message);
    }

    [Fact]
    public void A_single_class_and_a_class_count_mismatch_are_errors_naming_both_numbers()
    {
        Photo("only/1.jpg");
        var spec = new ExperimentSpec { BaseDirectory = _root, Dataset = new DatasetSpec { Path = _root } };
        Assert.Contains("only one class", Assert.Throws<DataSetException>(() => DataPreparation.Scan(spec, 1)).Message);
        Photo("other/1.jpg");
        var mismatch = spec with { Head = new HeadSpec { OutputClasses = 5 } };
        var error = Assert.Throws<DataSetException>(() => DataPreparation.Scan(mismatch, 1));
        Assert.Contains("head.output_classes is 5", error.Message);
        Assert.Contains("has 2 class folders", error.Message);
    }

    [Fact]
    public void Streaming_gives_the_same_batches_as_holding_images_in_memory()
    {
        var records = ExampleData.Train.Records.Take(10).ToList();
        File.WriteAllBytes(Path.Combine(_root, "broken.jpg"), [1, 2, 3]);
        records.Add(new ImageRecord(Path.Combine(_root, "broken.jpg"), 0));
        var memory = DecodedImages.Decode(records, 32, 32);
        var streamed = DecodedImages.Stream(records, 32, 32);
        Assert.True(streamed.IsStreaming);
        Assert.Equal(memory.Records, streamed.Records);
        Assert.Single(streamed.Skipped);
        int[] order = [7, 0, 3, 9];
        using var a = memory.Batch(order);
        using var b = streamed.Batch(order);
        Assert.True(TensorAssert.Same(a, b));
    }

    [Fact]
    public void Over_the_memory_budget_preparation_streams_instead_of_failing()
    {
        var spec = new ExperimentSpec
        {
            BaseDirectory = ExampleData.Folder,
            Dataset = new DatasetSpec { Path = "data", ValidationSplit = 0.2, CacheBudgetMb = 1 },
        };
        var log = new List<string>();
        var data = DataPreparation.Prepare(spec, 42, 64, 64, log.Add);
        Assert.True(data.Train.IsStreaming);
        Assert.Contains(log, l => l.Contains("over dataset.cache_budget_mb"));
        Assert.Equal(120, data.Train.Count);
    }

    [Fact]
    public void Stratified_split_is_seeded_keeps_proportions_and_never_overlaps()
    {
        var images = Enumerable.Range(0, 100).Select(i => new ImageRecord($"/x/{i:D3}.jpg", i < 70 ? 0 : 1)).ToList();
        var (train, validation) = StratifiedSplit.Split(images, 0.2, 42);
        var (train2, validation2) = StratifiedSplit.Split(images, 0.2, 42);
        var (_, validation3) = StratifiedSplit.Split(images, 0.2, 43);
        Assert.Equal(validation, validation2);
        Assert.Equal(train, train2);
        Assert.NotEqual(validation, validation3);
        Assert.Equal(14, validation.Count(r => r.Label == 0));
        Assert.Equal(6, validation.Count(r => r.Label == 1));
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(100, train.Count + validation.Count);
    }
}
