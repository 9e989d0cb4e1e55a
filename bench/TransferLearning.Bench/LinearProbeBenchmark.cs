using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Models;
using TransferLearning.Models.Architectures;
using TransferLearning.Training;
using static TorchSharp.torch;

namespace TransferLearning.Bench;

/// <summary>
/// Evidence that the embedded ResNet-18 weights are real ImageNet weights: frozen features plus a
/// logistic-regression head on the flowers set, fixed stratified 80/20 split (seed 42). Also measures
/// feature-extraction throughput through the real pipeline against raw forward on random tensors.
/// </summary>
internal static class LinearProbeBenchmark
{
    public static void Run(BenchContext context, int limitPerClass)
    {
        const int batchSize = 32, size = 224, seed = 42;
        var folder = ImageFolder.Scan(context.Flowers);
        var records = limitPerClass > 0 ? folder.Images.GroupBy(r => r.Label).SelectMany(g => g.Take(limitPerClass)).ToList() : folder.Images.ToList();
        var (trainRecords, validationRecords) = StratifiedSplit.Split(records, 0.2, seed);
        BenchContext.Log($"{records.Count} images, {folder.ClassNames.Count} classes; train {trainRecords.Count}, validation {validationRecords.Count}");

        DecodedImages train = null!, validation = null!;
        var decodeSeconds = BenchContext.Time(() =>
        {
            train = DecodedImages.Decode(trainRecords, size, size);
            validation = DecodedImages.Decode(validationRecords, size, size);
        });
        context.Report("decode+resize (all cores)", records.Count / decodeSeconds, "images/s");

        using var backbone = ResNet18Onnx.Create();
        backbone.eval();
        var rawForward = RawForward(backbone, batchSize, size, batches: 12);
        context.Report("raw forward, random batch 32 (fp32)", rawForward, "images/s");
        MeasureBfloat16(context, backbone, train, batchSize, rawForward);

        Tensor trainFeatures = null!, validationFeatures = null!;
        var extractSeconds = BenchContext.Time(() =>
        {
            trainFeatures = FeatureExtractor.Extract(backbone, train, batchSize, GlobalPooling.Avg, n => { if (n % 640 == 0) BenchContext.Log($"train features {n}/{train.Count}"); });
            validationFeatures = FeatureExtractor.Extract(backbone, validation, batchSize, GlobalPooling.Avg);
        });
        var extractRate = (train.Count + validation.Count) / extractSeconds;
        context.Report("feature extraction, real pipeline (fp32)", extractRate, "images/s");
        context.Report("feature extraction / raw forward", extractRate / rawForward, "ratio");

        var accuracy = TrainLogisticHead(trainFeatures, train, validationFeatures, validation, folder.ClassNames.Count, seed);
        context.Report("linear probe validation accuracy", accuracy * 100, "%");

        // The same probe on features computed in bfloat16 (a separate copy of the backbone): what the faster path would cost in accuracy.
        using var bf16Backbone = ResNet18Onnx.Create();
        bf16Backbone.eval();
        bf16Backbone.to(bfloat16);
        var bf16Seconds = BenchContext.Time(() =>
        {
            trainFeatures = FeatureExtractor.Extract(bf16Backbone, train, batchSize, GlobalPooling.Avg, transform: (b, _) => b.to(bfloat16)).to(float32);
            validationFeatures = FeatureExtractor.Extract(bf16Backbone, validation, batchSize, GlobalPooling.Avg, transform: (b, _) => b.to(bfloat16)).to(float32);
        });
        context.Report("feature extraction, real pipeline (bfloat16)", (train.Count + validation.Count) / bf16Seconds, "images/s");
        var bf16Accuracy = TrainLogisticHead(trainFeatures, train, validationFeatures, validation, folder.ClassNames.Count, seed);
        context.Report("linear probe validation accuracy (bfloat16 features)", bf16Accuracy * 100, "%");
        context.Report("skipped files", train.Skipped.Count + validation.Skipped.Count, "files");
        context.Report("peak RSS", BenchContext.PeakRssMb(), "MB");
        context.Save($"ResNet-18 (embedded ONNX, ImageNet) frozen, global average pool, logistic regression head (Adam, full batch, 400 steps, weight decay 1e-4). " +
                     $"Data: {context.Flowers}, {records.Count} images, stratified 80/20 split, seed {seed}, {size}x{size}, batch {batchSize}.");
    }

    /// <summary>
    /// bfloat16 on this CPU: speed of the same forward pass and how far its pooled features are from float32 on real
    /// photos, measured before deciding whether to use it (the library keeps float32; see the closing figures).
    /// </summary>
    private static void MeasureBfloat16(BenchContext context, Backbone backbone, DecodedImages images, int batchSize, double fp32Rate)
    {
        using var _ = no_grad();
        using var batch = images.Batch(Enumerable.Range(0, batchSize).ToArray());
        using var input = backbone.Preprocessing.Apply(batch);
        using var reference = GlobalPool.Apply(backbone.call(input), GlobalPooling.Avg);
        // A separate copy: casting a module to bfloat16 and back would round its float32 weights for good.
        using var bf16 = ResNet18Onnx.Create();
        bf16.eval();
        bf16.to(bfloat16);
        using var inputBf16 = input.to(bfloat16);
        bf16.call(inputBf16).Dispose();
        var seconds = BenchContext.Time(() => { for (int i = 0; i < 12; i++) bf16.call(inputBf16).Dispose(); });
        using var features = GlobalPool.Apply(bf16.call(inputBf16), GlobalPooling.Avg).to(float32);
        var bf16Rate = 12 * batchSize / seconds;
        context.Report("raw forward, batch 32 (bfloat16)", bf16Rate, "images/s");
        context.Report("bfloat16 / float32 forward", bf16Rate / fp32Rate, "ratio");
        using var error = (features - reference).norm() / reference.norm();
        context.Report("bfloat16 pooled features, relative L2 error", error.item<float>(), "");
    }

    /// <summary>Images per second of <c>backbone.forward</c> alone on a random, already preprocessed batch.</summary>
    public static double RawForward(Backbone backbone, int batchSize, int size, int batches)
    {
        using var _ = no_grad();
        using var input = randn(batchSize, 3, size, size);
        backbone.call(input).Dispose(); // warm-up
        var seconds = BenchContext.Time(() =>
        {
            for (int i = 0; i < batches; i++) backbone.call(input).Dispose();
        });
        return batches * batchSize / seconds;
    }

    private static double TrainLogisticHead(Tensor trainX, DecodedImages train, Tensor validationX, DecodedImages validation, int classes, int seed)
    {
        torch.manual_seed(seed);
        var all = Enumerable.Range(0, train.Count).ToArray();
        using var trainY = train.Labels(all);
        using var validationY = validation.Labels(Enumerable.Range(0, validation.Count).ToArray());
        using var head = nn.Linear(trainX.shape[1], classes);
        using var optimizer = optim.Adam(head.parameters(), lr: 0.01, weight_decay: 1e-4);
        for (int step = 0; step < 400; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(head.call(trainX), trainY);
            loss.backward();
            optimizer.step();
            if (step % 100 == 0) BenchContext.Log($"probe step {step}: train loss {loss.item<float>():F4}");
        }
        using var _ = no_grad();
        using var predicted = head.call(validationX).argmax(1);
        return predicted.eq(validationY).to(float32).mean().item<float>();
    }
}
