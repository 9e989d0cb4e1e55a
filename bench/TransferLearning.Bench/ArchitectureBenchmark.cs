using TorchSharp;
using TransferLearning.Models.Registry;
using TransferLearning.Training;
using static TorchSharp.torch;

namespace TransferLearning.Bench;

/// <summary>
/// Forward and training throughput of every architecture in the registry: batch 32 (or --batch), 224x224 (or --size),
/// float32 and, for the forward pass, bfloat16. Training is a full fine-tuning step (forward, backward, Adam) of backbone +
/// linear head. Weights are random (structure only): speed does not depend on their values, and most ImageNet files cannot
/// be downloaded here. One warm-up batch, then the mean of the timed ones.
/// </summary>
internal static class ArchitectureBenchmark
{
    public static void Run(BenchContext context, int batch, int size, int timed, string? only, bool forceBf16)
    {
        // Without native support bfloat16 is emulated (about 50x slower than float32 here): not worth an hour of timing.
        bool bf16 = forceBf16 || FrozenPrecision.CpuHasNativeBFloat16;
        if (!bf16) BenchContext.Log("this CPU has no native bfloat16 (avx512_bf16/amx_bf16): bfloat16 forward is skipped (--bf16 to time it anyway)");
        var rows = new List<string>();
        foreach (var entry in ModelRegistry.All.Where(e => only is null || only.Split(',').Contains(e.Name)))
        {
            BenchContext.Log($"{entry.Name}: building");
            using var backbone = entry.Create(BackboneRequest.StructureOnly());
            long parameters = backbone.parameters().Sum(p => p.numel());
            manual_seed(1);
            using var input = rand(batch, 3, size, size) * 255;
            double forward = Throughput(batch, timed, () => Forward(backbone, input));
            double forwardBf16 = bf16 ? BFloat16Forward(entry, input, batch, timed) : double.NaN;
            double training = TrainingThroughput(backbone, input, batch, timed);
            context.Report($"{entry.Name}: forward float32", forward, "images/s");
            if (bf16) context.Report($"{entry.Name}: forward bfloat16", forwardBf16, "images/s");
            context.Report($"{entry.Name}: training step float32", training, "images/s");
            rows.Add($"| {entry.Name} | {backbone.Layers.Count} | {parameters / 1e6:F1} M | {forward:F1} | {(bf16 ? forwardBf16.ToString("F1") : "n/a")} | {training:F1} |");
            GC.Collect();
        }
        context.Report("peak RSS", BenchContext.PeakRssMb(), "MB");
        context.Save($"Batch {batch}, {size}x{size}, {torch.get_num_threads()} threads; forward = backbone only in eval mode without gradients; " +
                     "training step = backbone (all layers trainable, BatchNorm in training mode) + global average pool + linear head (5 classes), " +
                     $"cross-entropy, backward, Adam. Random weights. Mean of {timed} timed batches after one warm-up.\n\n" +
                     "| architecture | layers (no top) | parameters (trainable, no top) | forward fp32 img/s | forward bf16 img/s | training step fp32 img/s |\n|---|---:|---:|---:|---:|---:|\n" +
                     string.Join("\n", rows));
    }

    private static double BFloat16Forward(ModelEntry entry, Tensor input, int batch, int timed)
    {
        using var backbone = entry.Create(BackboneRequest.StructureOnly());
        backbone.to(ScalarType.BFloat16);
        using var input16 = input.to(ScalarType.BFloat16);
        return Throughput(batch, timed, () => Forward(backbone, input16));
    }

    private static void Forward(TransferLearning.Models.Backbone backbone, Tensor rgb)
    {
        backbone.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        backbone.call(backbone.Preprocessing.Apply(rgb));
    }

    private static double TrainingThroughput(TransferLearning.Models.Backbone backbone, Tensor rgb, int batch, int timed)
    {
        using var head = nn.Linear(backbone.FeatureChannels, 5);
        var parameters = backbone.parameters().Concat(head.parameters()).ToList();
        using var optimizer = optim.Adam(parameters, 1e-4);
        using var labels = randint(0, 5, [batch], dtype: ScalarType.Int64);
        backbone.train();
        return Throughput(batch, timed, () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = head.call(backbone.call(backbone.Preprocessing.Apply(rgb)).mean([2, 3]));
            nn.functional.cross_entropy(logits, labels).backward();
            optimizer.step();
        });
    }

    private static double Throughput(int batch, int timed, Action step)
    {
        step(); // warm-up: allocator, kernels
        var seconds = BenchContext.Time(() => { for (int i = 0; i < timed; i++) step(); });
        return batch * timed / seconds;
    }
}
