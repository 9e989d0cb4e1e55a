using SkiaSharp;
using TransferLearning.Data;

namespace TransferLearning.Tests.Data;

/// <summary>The decoder on odd but valid images, and its errors on bad files.</summary>
public sealed class ImageDecoderTests
{
    private readonly string _folder = TestImages.NewFolder();

    private static (byte R, byte G, byte B) Pixel(byte[] rgb, int width, int x, int y) =>
        (rgb[(y * width + x) * 3], rgb[(y * width + x) * 3 + 1], rgb[(y * width + x) * 3 + 2]);

    private static void Near((byte R, byte G, byte B) actual, (byte R, byte G, byte B) expected, int tolerance = 12)
    {
        Assert.InRange(actual.R, Math.Max(0, expected.R - tolerance), Math.Min(255, expected.R + tolerance));
        Assert.InRange(actual.G, Math.Max(0, expected.G - tolerance), Math.Min(255, expected.G + tolerance));
        Assert.InRange(actual.B, Math.Max(0, expected.B - tolerance), Math.Min(255, expected.B + tolerance));
    }

    [Fact]
    public void Decodes_and_resizes_a_real_photo()
    {
        var rgb = ImageDecoder.DecodeRgb(ExampleData.Train.Records[0].Path, 48, 32);
        Assert.Equal(48 * 32 * 3, rgb.Length);
        Assert.True(rgb.Distinct().Count() > 50, "a photo has many distinct values");
    }

    [Fact]
    public void Png_with_alpha_is_composited_on_white()
    {
        using var bitmap = TestImages.Halves(40, 40, new SKColor(255, 0, 0, 255), new SKColor(0, 0, 255, 0));
        var path = TestImages.Write(Path.Combine(_folder, "alpha.png"), bitmap, SKEncodedImageFormat.Png);
        var rgb = ImageDecoder.DecodeRgb(path, 40, 40);
        Near(Pixel(rgb, 40, 5, 20), (255, 0, 0));
        Near(Pixel(rgb, 40, 35, 20), (255, 255, 255)); // fully transparent: white, not blue or black
    }

    [Fact]
    public void Grayscale_jpeg_becomes_rgb_with_equal_channels()
    {
        using var bitmap = TestImages.Halves(32, 32, new SKColor(40, 40, 40), new SKColor(200, 200, 200), SKColorType.Gray8);
        var path = TestImages.Write(Path.Combine(_folder, "gray.jpg"), bitmap);
        var rgb = ImageDecoder.DecodeRgb(path, 32, 32);
        var (r, g, b) = Pixel(rgb, 32, 4, 16);
        Assert.Equal(r, g);
        Assert.Equal(g, b);
        Near((r, g, b), (40, 40, 40));
        Near(Pixel(rgb, 32, 28, 16), (200, 200, 200));
    }

    [Fact]
    public void Cmyk_jpeg_becomes_rgb()
    {
        var rgb = ImageDecoder.DecodeRgb(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cmyk.jpg"), 32, 32);
        Near(Pixel(rgb, 32, 4, 16), (255, 0, 0), 40);
        Near(Pixel(rgb, 32, 28, 16), (0, 0, 255), 40);
    }

    [Fact]
    public void Exif_orientation_is_applied()
    {
        // Stored 40 wide x 20 high, red left and blue right; orientation 6 means "rotate 90 degrees clockwise":
        // shown 20 wide x 40 high with red on top.
        using var bitmap = TestImages.Halves(40, 20, new SKColor(255, 0, 0), new SKColor(0, 0, 255));
        var path = TestImages.WriteJpegWithOrientation(Path.Combine(_folder, "rotated.jpg"), bitmap, 6);
        var rgb = ImageDecoder.DecodeRgb(path, 20, 40);
        Near(Pixel(rgb, 20, 10, 5), (255, 0, 0), 40);
        Near(Pixel(rgb, 20, 10, 35), (0, 0, 255), 40);
    }

    [Fact]
    public void Sixteen_bit_png_is_read_as_8_bit_rgb()
    {
        var path = TestImages.WritePng(Path.Combine(_folder, "deep.png"), 20, bitDepth: 16, value: 200);
        var rgb = ImageDecoder.DecodeRgb(path, 10, 10);
        Near(Pixel(rgb, 10, 5, 5), (200, 200, 200), 1);
    }

    [Fact]
    public void Webp_decodes()
    {
        using var bitmap = TestImages.Halves(32, 32, new SKColor(255, 0, 0), new SKColor(0, 255, 0));
        var path = TestImages.Write(Path.Combine(_folder, "image.webp"), bitmap, SKEncodedImageFormat.Webp, 100);
        var rgb = ImageDecoder.DecodeRgb(path, 32, 32);
        Near(Pixel(rgb, 32, 4, 16), (255, 0, 0), 20);
        Near(Pixel(rgb, 32, 28, 16), (0, 255, 0), 20);
    }

    [Fact]
    public void A_one_pixel_image_is_upscaled()
    {
        using var bitmap = new SKBitmap(1, 1);
        bitmap.SetPixel(0, 0, new SKColor(10, 200, 30));
        var path = TestImages.Write(Path.Combine(_folder, "dot.png"), bitmap, SKEncodedImageFormat.Png);
        var rgb = ImageDecoder.DecodeRgb(path, 16, 16);
        Near(Pixel(rgb, 16, 0, 0), (10, 200, 30), 2);
        Near(Pixel(rgb, 16, 15, 15), (10, 200, 30), 2);
    }

    [Fact]
    public void A_10000_by_10000_png_decodes_by_rows_without_a_full_size_bitmap()
    {
        var path = TestImages.WriteHugePng(Path.Combine(_folder, "huge.png"), 10_000);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var rgb = ImageDecoder.DecodeRgb(path, 64, 64);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Near(Pixel(rgb, 64, 32, 32), (128, 128, 128), 2);
        // The full image would be 400 MB as RGBA; decoding by rows keeps managed and native buffers far below that.
        Assert.True(allocated < 100_000_000, $"allocated {allocated / 1e6:F0} MB");
    }

    [Theory]
    [InlineData("zero.jpg", new byte[0], "empty")]
    [InlineData("garbage.jpg", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, "not a readable image")]
    [InlineData("text.png", new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, "not a readable image")]
    public void Bad_files_throw_naming_the_file(string name, byte[] bytes, string reason)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb(path, 8, 8));
        Assert.Contains(name, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_truncated_jpeg_is_reported()
    {
        var photo = File.ReadAllBytes(ExampleData.Train.Records[0].Path);
        var path = Path.Combine(_folder, "cut.jpg");
        File.WriteAllBytes(path, photo[..(photo.Length / 2)]);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb(path, 8, 8));
        Assert.Contains("cut.jpg", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_path_that_cannot_be_opened_is_reported()
    {
        // Tests run as root, so permission bits would not stop them; a folder named like an image cannot be opened either.
        var path = Path.Combine(_folder, "folder.jpg");
        Directory.CreateDirectory(path);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb(path, 8, 8));
        Assert.Contains("cannot be read", error.Message);
    }
}
