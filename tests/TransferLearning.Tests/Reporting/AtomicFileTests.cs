using TransferLearning.Reporting;

namespace TransferLearning.Tests.Reporting;

public sealed class AtomicFileTests
{
    [Fact]
    public void A_failed_write_leaves_the_previous_file_intact_and_no_temp_file()
    {
        var folder = Data.TestImages.NewFolder();
        var path = Path.Combine(folder, "best.dat");
        AtomicFile.WriteText(path, "previous checkpoint");
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, temp =>
        {
            File.WriteAllText(temp, "half a checkp");
            throw new IOException("No space left on device"); // what a full disk reports mid-write
        }));
        Assert.Contains(path, error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.Contains("intact", error.Message);
        Assert.Equal("previous checkpoint", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_a_clear_error()
    {
        var file = Path.Combine(Data.TestImages.NewFolder(), "not-a-folder");
        File.WriteAllText(file, "x");
        var error = Assert.Throws<IOException>(() => AtomicFile.WriteText(Path.Combine(file, "metrics.json"), "{}"));
        Assert.Contains("metrics.json", error.Message);
    }
}
