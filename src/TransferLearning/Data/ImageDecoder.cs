using SkiaSharp;

namespace TransferLearning.Data;

/// <summary>
/// Decodes an image file with SkiaSharp into 8-bit RGB pixels of a given size: EXIF orientation applied,
/// any colour type (grayscale, CMYK, 16-bit, palette) converted to RGB, transparency composited on white,
/// first frame of animations. Large images are downsampled while decoding, so a 10000x10000 photo never
/// needs its full-size bitmap in memory.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes <paramref name="path"/> and resizes it (bilinear, antialiased when shrinking) to <paramref name="width"/> x <paramref name="height"/>.</summary>
    /// <returns>Pixels in row-major HWC order, RGB, <c>height * width * 3</c> bytes.</returns>
    /// <exception cref="ImageDecodeException">The file is missing, unreadable, empty, truncated or not an image.</exception>
    public static byte[] DecodeRgb(string path, int width, int height)
    {
        using var source = ShrinkByHalves(DecodeOriented(path, width, height), width, height);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        }
        var rgba = target.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int p = 0, q = 0; q < rgb.Length; p += 4, q += 3)
        {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }
        return rgb;
    }

    /// <summary>Above this many pixels (after the decoder's own scaling) an image is decoded row by row and box-averaged.</summary>
    private const long MaxFullDecodePixels = 24_000_000;

    /// <summary>
    /// Decodes <paramref name="factor"/> rows at a time and averages each factor x factor block, so a huge PNG
    /// (which, unlike JPEG, cannot be scaled by the decoder) never needs its full-size bitmap. Returns null
    /// when the format cannot be read by scanlines (e.g. interlaced PNG); then the caller decodes it whole.
    /// </summary>
    private static SKBitmap? DecodeByScanlines(SKCodec codec, string path, int factor)
    {
        var size = codec.Info.Size;
        var rowInfo = new SKImageInfo(size.Width, 1, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        if (codec.ScanlineOrder != SKCodecScanlineOrder.TopDown || codec.StartScanlineDecode(rowInfo) != SKCodecResult.Success) return null;
        int outWidth = size.Width / factor, outHeight = size.Height / factor, rowBytes = size.Width * 4;
        var rows = new byte[rowBytes * factor];
        var sums = new int[outWidth * 4];
        var bitmap = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb()));
        var output = bitmap.GetPixelSpan();
        unsafe
        {
            fixed (byte* buffer = rows)
            {
                for (int y = 0; y < outHeight; y++)
                {
                    if (codec.GetScanlines((IntPtr)buffer, factor, rowBytes) != factor)
                    {
                        bitmap.Dispose();
                        throw new ImageDecodeException(path, "is truncated");
                    }
                    Array.Clear(sums);
                    for (int r = 0; r < factor; r++)
                        for (int x = 0; x < outWidth * factor; x++)
                            for (int c = 0; c < 4; c++) sums[x / factor * 4 + c] += rows[r * rowBytes + x * 4 + c];
                    var target = output.Slice(y * outWidth * 4, outWidth * 4);
                    for (int i = 0; i < target.Length; i++) target[i] = (byte)(sums[i] / (factor * factor));
                }
            }
        }
        return bitmap;
    }

    private static SKBitmap DecodeOriented(string path, int width, int height)
    {
        Stream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, $"cannot be read ({e.Message})");
        }
        using (stream)
        {
            if (stream.Length == 0) throw new ImageDecodeException(path, "is empty (0 bytes)");
            using var codec = SKCodec.Create(stream, out var status)
                ?? throw new ImageDecodeException(path, $"is not a readable image ({status})");
            var size = codec.Info.Size;
            if (size.Width <= 0 || size.Height <= 0) throw new ImageDecodeException(path, "has no pixels");
            // Let the decoder downsample (JPEG does it almost for free) while keeping at least twice the target size.
            float scale = Math.Min(1f, 2f * Math.Max((float)width / size.Width, (float)height / size.Height));
            var decoded = codec.GetScaledDimensions(scale);
            var bitmap = (long)decoded.Width * decoded.Height > MaxFullDecodePixels
                ? DecodeByScanlines(codec, path, Math.Max(1, Math.Min(size.Width / (2 * width), size.Height / (2 * height))))
                : null;
            if (bitmap is null)
            {
                var info = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
                bitmap = new SKBitmap(info);
                var result = codec.GetPixels(info, bitmap.GetPixels());
                if (result != SKCodecResult.Success)
                {
                    bitmap.Dispose();
                    throw new ImageDecodeException(path, result == SKCodecResult.IncompleteInput ? "is truncated" : $"could not be decoded ({result})");
                }
            }
            return Orient(bitmap, codec.EncodedOrigin);
        }
    }

    /// <summary>Applies the EXIF orientation so the pixels are upright; disposes the input when it makes a new bitmap.</summary>
    private static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft) return bitmap;
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int w = bitmap.Width, h = bitmap.Height;
        var rotated = new SKBitmap(new SKImageInfo(swap ? h : w, swap ? w : h, bitmap.ColorType, bitmap.AlphaType));
        using (var canvas = new SKCanvas(rotated))
        {
            canvas.SetMatrix(origin switch
            {
                SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
                SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
                SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
                SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
                SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
                SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
                _ => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1), // LeftBottom
            });
            canvas.DrawBitmap(bitmap, 0, 0);
        }
        bitmap.Dispose();
        return rotated;
    }

    /// <summary>Halves the bitmap (a 2x2 box filter) while it is at least twice the target: antialiasing before the
    /// final bilinear step. Takes ownership of <paramref name="bitmap"/>.</summary>
    private static SKBitmap ShrinkByHalves(SKBitmap bitmap, int width, int height)
    {
        while (bitmap.Width >= 2 * width && bitmap.Height >= 2 * height)
        {
            var half = bitmap.Resize(new SKImageInfo(bitmap.Width / 2, bitmap.Height / 2, bitmap.ColorType, bitmap.AlphaType), new SKSamplingOptions(SKFilterMode.Linear));
            bitmap.Dispose();
            bitmap = half;
        }
        return bitmap;
    }
}
