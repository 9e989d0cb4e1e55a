using TorchSharp;
using TransferLearning.Spec;
using static TorchSharp.torch;

namespace TransferLearning.Data;

/// <summary>
/// Random augmentation of whole training batches <c>[N, 3, H, W]</c> (RGB 0..255) with the semantics of
/// Keras' <c>ImageDataGenerator.random_transform</c>: rotation by U(-r, r) degrees, shifts by U(-s, s) of the
/// height/width, independent zooms U(lo, hi) per axis (a factor below 1 zooms in), horizontal/vertical flips
/// with probability 1/2, brightness by U(lo, hi); one affine resampling per batch (bilinear), points outside
/// filled per <c>fill_mode</c>. Draws are seeded by (seed, epoch, batch), so a resumed run sees the same ones.
/// </summary>
public sealed class BatchAugmenter(AugmentationSpec spec, int seed)
{
    /// <summary>True when this augmenter changes anything.</summary>
    public bool IsActive => spec.IsActive;

    /// <summary>Returns an augmented copy of <paramref name="batch"/>; the same (epoch, batch) always gives the same transforms.</summary>
    public Tensor Apply(Tensor batch, int epoch, int batchIndex)
    {
        if (!IsActive) return batch.alias();
        using var scope = NewDisposeScope();
        long n = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        var random = new Random(unchecked(seed * 1_000_003 + epoch * 10_007 + batchIndex));
        var theta = new float[n * 6];
        var brightness = new float[n];
        for (int i = 0; i < n; i++)
        {
            var p = Draw(random);
            // Keras builds rotation @ shift @ zoom in (row, col) pixel space, mapping output to input coordinates.
            // Here the same map in (x = col, y = row), normalised to [-1, 1] as affine_grid expects.
            double cos = Math.Cos(p.Theta), sin = Math.Sin(p.Theta);
            double a00 = cos * p.ZoomY, a01 = sin * p.ZoomX, a10 = -sin * p.ZoomY, a11 = cos * p.ZoomX;
            double cols = p.ShiftCols * w, rows = p.ShiftRows * h; // pixels
            double tx = cos * cols + sin * rows, ty = -sin * cols + cos * rows;
            if (p.FlipH) { a00 = -a00; a10 = -a10; }
            if (p.FlipV) { a01 = -a01; a11 = -a11; }
            // Normalise: x_n = x / (w/2), y_n = y / (h/2).
            theta[i * 6 + 0] = (float)a00;
            theta[i * 6 + 1] = (float)(a01 * h / w);
            theta[i * 6 + 2] = (float)(tx * 2 / w);
            theta[i * 6 + 3] = (float)(a10 * w / h);
            theta[i * 6 + 4] = (float)a11;
            theta[i * 6 + 5] = (float)(ty * 2 / h);
            brightness[i] = (float)p.Brightness;
        }
        var thetaT = tensor(theta, [n, 2, 3]).to(batch.dtype, batch.device);
        var grid = nn.functional.affine_grid(thetaT, [n, 3, h, w], align_corners: false);
        Tensor result;
        switch (spec.FillMode)
        {
            case FillMode.Constant:
                result = nn.functional.grid_sample(batch - spec.Cval, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, false) + spec.Cval;
                break;
            case FillMode.Wrap:
                grid = (grid + 1).remainder(2) - 1;
                result = nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, false);
                break;
            default:
                var padding = spec.FillMode == FillMode.Reflect ? GridSamplePaddingMode.Reflection : GridSamplePaddingMode.Border;
                result = nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, padding, false);
                break;
        }
        if (spec.BrightnessRange is not null)
            result = (result * tensor(brightness).to(batch.dtype, batch.device).view(n, 1, 1, 1)).clamp(0, 255);
        return result.MoveToOuterDisposeScope();
    }

    private Draw Draw(Random random)
    {
        double U(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        return new Draw(
            Theta: spec.RotationRange > 0 ? U(-spec.RotationRange, spec.RotationRange) * Math.PI / 180 : 0,
            ShiftRows: spec.HeightShiftRange > 0 ? U(-spec.HeightShiftRange, spec.HeightShiftRange) : 0,
            ShiftCols: spec.WidthShiftRange > 0 ? U(-spec.WidthShiftRange, spec.WidthShiftRange) : 0,
            ZoomX: U(spec.ZoomRange[0], spec.ZoomRange[1]),
            ZoomY: U(spec.ZoomRange[0], spec.ZoomRange[1]),
            FlipH: spec.HorizontalFlip && random.NextDouble() < 0.5,
            FlipV: spec.VerticalFlip && random.NextDouble() < 0.5,
            Brightness: spec.BrightnessRange is [var lo, var hi] ? U(lo, hi) : 1);
    }
}

/// <summary>One image's random transform; shifts are fractions of the size (scaled to pixels by the caller).</summary>
internal readonly record struct Draw(double Theta, double ShiftRows, double ShiftCols, double ZoomX, double ZoomY, bool FlipH, bool FlipV, double Brightness);
