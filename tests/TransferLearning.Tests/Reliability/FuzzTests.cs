using TransferLearning.Data;
using TransferLearning.Spec;

namespace TransferLearning.Tests.Reliability;

/// <summary>Mutated inputs never escape as anything but the documented errors.</summary>
public sealed class FuzzTests
{
    private static string Mutate(string json, Random random)
    {
        var chars = json.ToCharArray().ToList();
        int edits = random.Next(1, 6);
        const string alphabet = "{}[]:,\"0123456789.-eE truefalsnul\\x";
        for (int e = 0; e < edits && chars.Count > 0; e++)
        {
            int at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                case 2: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                default: // duplicate a slice (duplicate keys, nested garbage)
                    int length = Math.Min(random.Next(1, 40), chars.Count - at);
                    chars.InsertRange(at, chars.GetRange(at, length));
                    break;
            }
        }
        return new string(chars.ToArray());
    }

    [Fact]
    public void Three_thousand_mutated_seed_specs_give_a_spec_or_errors_with_json_paths()
    {
        var seed = SharedData.SeedSpecJson();
        var random = new Random(2024);
        int valid = 0, invalid = 0;
        for (int i = 0; i < 3000; i++)
        {
            var json = Mutate(seed, random);
            try
            {
                SpecLoader.Parse(json, "/tmp");
                valid++;
            }
            catch (SpecException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error => Assert.False(string.IsNullOrWhiteSpace(error.Path), $"no path in: {error.Message}\nfor: {json}"));
                invalid++;
            }
        }
        Assert.True(valid > 0 && invalid > 0, $"valid {valid}, invalid {invalid}: the mutations should produce both");
    }

    [Fact]
    public void Mutated_jpeg_and_png_bytes_decode_or_fail_cleanly()
    {
        var folder = Data.TestImages.NewFolder();
        var sources = new[] { ExampleData.Train.Records[0].Path, ExampleData.Train.Records[40].Path };
        using (var bitmap = Data.TestImages.Halves(48, 32, SkiaSharp.SKColors.Red, SkiaSharp.SKColors.Teal))
            sources = [.. sources, Data.TestImages.Write(Path.Combine(folder, "source.png"), bitmap, SkiaSharp.SKEncodedImageFormat.Png)];
        var random = new Random(7);
        int decoded = 0, rejected = 0;
        for (int i = 0; i < 300; i++)
        {
            var bytes = File.ReadAllBytes(sources[i % sources.Length]);
            int flips = random.Next(1, 20);
            for (int f = 0; f < flips; f++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(1, bytes.Length)];
            var path = Path.Combine(folder, $"m{i}{Path.GetExtension(sources[i % sources.Length])}");
            File.WriteAllBytes(path, bytes);
            try
            {
                Assert.Equal(16 * 16 * 3, ImageDecoder.DecodeRgb(path, 16, 16).Length);
                decoded++;
            }
            catch (ImageDecodeException e)
            {
                Assert.Contains(Path.GetFileName(path), e.Message);
                rejected++;
            }
        }
        Assert.True(rejected > 0, "some mutations must be rejected");
        Assert.True(decoded > 0, "JPEG tolerates most byte flips");
    }
}
