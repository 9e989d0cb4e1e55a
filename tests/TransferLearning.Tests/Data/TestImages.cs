using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace TransferLearning.Tests.Data;

/// <summary>Makes the odd image files the bad-input tests need, in a temp folder.</summary>
internal static class TestImages
{
    public static string NewFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "tl-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>An image whose left half is <paramref name="left"/> and right half <paramref name="right"/>.</summary>
    public static SKBitmap Halves(int width, int height, SKColor left, SKColor right, SKColorType type = SKColorType.Rgba8888)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, type, type == SKColorType.Gray8 ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
        using var paint = new SKPaint { Color = left };
        canvas.DrawRect(0, 0, width / 2f, height, paint);
        paint.Color = right;
        canvas.DrawRect(width / 2f, 0, width / 2f, height, paint);
        return bitmap;
    }

    public static string Write(string path, SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Jpeg, int quality = 95)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(format, quality);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>A JPEG with an EXIF APP1 segment whose Orientation tag is <paramref name="orientation"/> (6: rotate 90 degrees clockwise to display).</summary>
    public static string WriteJpegWithOrientation(string path, SKBitmap bitmap, ushort orientation)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        var jpeg = data.ToArray();
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD at 8
            0x00, 0x01,                                               // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,           // Orientation, SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,                                   // no next IFD
        ];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. jpeg[..2], .. exif, .. jpeg[2..]]);
        return path;
    }

    /// <summary>
    /// A grey PNG of <paramref name="size"/> x <paramref name="size"/> pixels written row by row (the zlib stream
    /// is produced on the fly), so even 10000 x 10000 never exists as a bitmap here.
    /// </summary>
    public static string WriteHugePng(string path, int size) => WritePng(path, size, bitDepth: 8, value: 128);

    /// <summary>A uniform RGB PNG of the given bit depth (8 or 16); 16-bit samples are <paramref name="value"/> * 257.</summary>
    public static string WritePng(string path, int size, byte bitDepth, byte value)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = bitDepth;
        header[9] = 2; // RGB
        Chunk(file, "IHDR", header);
        using (var idat = new MemoryStream())
        {
            using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[1 + size * 3 * (bitDepth / 8)];
                Array.Fill(row, value); // 16-bit big-endian samples of value * 257 are the byte value twice
                row[0] = 0; // filter: none
                for (int y = 0; y < size; y++) zlib.Write(row);
            }
            Chunk(file, "IDAT", idat.ToArray());
        }
        Chunk(file, "IEND", []);
        return path;
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
