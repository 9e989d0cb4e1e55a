using System.Diagnostics;
using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Evaluation;
using TransferLearning.Models;
using TransferLearning.Training.Callbacks;
using TransferLearning.Training.Feeds;
using TransferLearning.Training.Schedules;
using static TorchSharp.torch;

namespace TransferLearning.Training;

/// <summary>
/// The training loop, and nothing else: runs phases of epochs over decoded images, raising callback
/// events; no file I/O (callbacks do that). Each phase picks the cheapest correct way to compute
/// logits (see <see cref="IPhaseFeed"/>).
/// </summary>
public sealed class Trainer(TransferModel model, TrainerOptions options, IReadOnlyList<ITrainingCallback> callbacks)
{
    private readonly TrainingHistory _history = new();

    /// <summary>Epochs run so far over all phases; also what seeds each epoch's shuffle and augmentation.</summary>
    private int EpochsDone => _history.Epochs.Count;

    /// <summary>Every epoch run so far.</summary>
    public TrainingHistory History => _history;

    /// <summary>Set when a phase ended because of cancellation.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Continues after a restart: the epochs already run (their logs) are taken as done.</summary>
    public void RestoreHistory(IEnumerable<EpochLog> epochs)
    {
        foreach (var e in epochs) _history.Add(e);
    }

    /// <summary>
    /// Runs one phase; returns early on early stopping or when <paramref name="cancellation"/> fires (after the current batch).
    /// A resumed phase starts at <paramref name="startEpoch"/> with the optimizer state saved in <paramref name="optimizerState"/>.
    /// </summary>
    public void RunPhase(TrainingPhase phase, DecodedImages train, DecodedImages? validation, BatchAugmenter augmenter, CancellationToken cancellation = default,
        int startEpoch = 1, string? optimizerState = null, Action<TrainingContext>? beforeFirstEpoch = null)
    {
        var unfrozen = FreezePlan.Apply(model, phase.TrainableBackboneLayers);
        options.Log(phase.TrainableBackboneLayers == 0
            ? $"phase {phase.Name}: backbone frozen, training the head"
            : $"phase {phase.Name}: {unfrozen.Count} backbone layers trainable ({unfrozen[0]} .. {unfrozen[^1]})");
        using var feed = CreateFeed(phase, train, validation, augmenter);
        using var optimizer = OptimizerFactory.Create(model.parameters().Where(p => p.requires_grad), options.Training, phase.LearningRate);
        if (optimizerState is not null) optimizer.load_state_dict(optimizerState);
        var context = new TrainingContext(model, _history, optimizer);
        using var loss = new LossFunction(options.ClassWeights, options.Training.LabelSmoothing);
        int stepsPerEpoch = (train.Count + options.Training.BatchSize - 1) / options.Training.BatchSize;
        var schedule = new LearningRateController(options.Training.LearningRateSchedule, phase.LearningRate, phase.Epochs, stepsPerEpoch);
        foreach (var callback in callbacks) callback.OnPhaseBegin(phase, context);
        beforeFirstEpoch?.Invoke(context);
        for (int i = 1; i < startEpoch; i++) schedule.EndEpoch(_history.Epochs[_history.Epochs.Count - startEpoch + i]);

        for (int epoch = startEpoch; epoch <= phase.Epochs && !context.StopPhase; epoch++)
        {
            var watch = Stopwatch.StartNew();
            feed.BeginEpoch(EpochsDone);
            FreezePlan.TrainMode(model, phase.TrainableBackboneLayers, options.BatchNorm);
            var trainResult = TrainEpoch(phase, epoch, train, feed, optimizer, loss, schedule, (epoch - 1) * stepsPerEpoch, cancellation);
            var trainSeconds = watch.Elapsed.TotalSeconds; // includes per-epoch feature extraction of augmented images
            var values = Logged(trainResult, "");
            values["learning_rate"] = trainResult.LearningRate;
            if (validation is not null && !Cancelled)
                foreach (var (key, value) in Logged(Evaluate(validation, feed, loss), "val_")) values[key] = value;
            var log = new EpochLog(phase.Name, EpochsDone + 1, epoch, values, watch.Elapsed.TotalSeconds, trainResult.Images / trainSeconds);
            _history.Add(log);
            if (Cancelled)
            {
                context.StopPhase = true;
                context.StopReason = "cancelled";
                break;
            }
            schedule.EndEpoch(log);
            foreach (var callback in callbacks) callback.OnEpochEnd(log, context);
        }
        if (context.StopReason is not null) options.Log(context.StopReason);
        foreach (var callback in callbacks) callback.OnPhaseEnd(phase, context);
    }

    /// <summary>Predicted probabilities <c>[N, K]</c> of the whole model on <paramref name="images"/>, in eval mode.</summary>
    public static double[][] Predict(TransferModel model, DecodedImages images, int batchSize)
    {
        model.eval();
        var rows = new List<double[]>();
        using var _ = no_grad();
        for (int start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(batchSize, images.Count - start)).ToArray();
            var probabilities = model.call(images.Batch(indices)).softmax(1).to(float64);
            rows.AddRange(Rows(probabilities));
        }
        return rows.ToArray();
    }

    private IPhaseFeed CreateFeed(TrainingPhase phase, DecodedImages train, DecodedImages? validation, BatchAugmenter augmenter)
    {
        int layers = model.Backbone.Layers.Count;
        if (phase.TrainableBackboneLayers == 0)
            return new PooledFeatureFeed(model, FrozenCompute.Create(model, options.MixedPrecisionBackbone), train, validation, augmenter, options.Training.BatchSize, options.Log);
        if (phase.TrainableBackboneLayers < layers && model.Backbone.Splittable is { } graph)
            return new BoundaryFeed(model, graph, FrozenCompute.Create(model, options.MixedPrecisionBackbone), FreezePlan.FirstTrainable(model, phase.TrainableBackboneLayers),
                train, validation, augmenter, options.Training.BatchSize, options.CacheBudgetBytes, options.Log);
        return new FullModelFeed(model, train, validation, augmenter);
    }

    private sealed record PassResult(double Loss, int[] Labels, double[][] Probabilities, int Images, double Seconds, double LearningRate = 0);

    private PassResult TrainEpoch(TrainingPhase phase, int epoch, DecodedImages train, IPhaseFeed feed, optim.Optimizer optimizer, LossFunction loss,
        LearningRateController schedule, int firstStep, CancellationToken cancellation)
    {
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        double rate = phase.LearningRate;
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(unchecked(options.Seed * 7919 + EpochsDone)).Shuffle(order);
        int batchSize = options.Training.BatchSize, batches = (order.Length + batchSize - 1) / batchSize;
        var labels = new List<int>();
        var probabilities = new List<double[]>();
        double lossSum = 0;
        int correct = 0;
        var watch = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var indices = order.AsSpan(b * batchSize, Math.Min(batchSize, order.Length - b * batchSize)).ToArray();
            var target = train.Labels(indices);
            optimizer.zero_grad();
            var logits = feed.TrainLogits(indices, b);
            var value = loss.Compute(logits, target);
            value.backward();
            ClipGradients(trainable);
            rate = schedule.Apply(optimizer, firstStep + b);
            optimizer.step();

            using (no_grad())
            {
                var p = logits.detach().softmax(1).to(float64);
                probabilities.AddRange(Rows(p));
                correct += (int)logits.argmax(1).eq(target).sum().item<long>();
            }
            labels.AddRange(indices.Select(i => train.Records[i].Label));
            lossSum += value.item<float>() * indices.Length;
            var log = new BatchLog(phase.Name, epoch, b + 1, batches, labels.Count, lossSum / labels.Count, (double)correct / labels.Count, labels.Count / watch.Elapsed.TotalSeconds);
            foreach (var callback in callbacks) callback.OnBatchEnd(log);
            if (cancellation.IsCancellationRequested)
            {
                Cancelled = true;
                break;
            }
        }
        return new PassResult(lossSum / Math.Max(1, labels.Count), labels.ToArray(), probabilities.ToArray(), labels.Count, watch.Elapsed.TotalSeconds, rate);
    }

    /// <summary>Keras' <c>clipnorm</c> (each parameter's gradient) and <c>global_clipnorm</c> (all together).</summary>
    private void ClipGradients(IReadOnlyList<TorchSharp.Modules.Parameter> trainable)
    {
        if (options.Training.ClipNorm is { } each)
            foreach (var p in trainable.Where(p => p.grad is not null)) nn.utils.clip_grad_norm_([p], each);
        if (options.Training.GlobalClipNorm is { } global)
            nn.utils.clip_grad_norm_(trainable, global);
    }

    private PassResult Evaluate(DecodedImages validation, IPhaseFeed feed, LossFunction loss)
    {
        model.eval();
        var watch = Stopwatch.StartNew();
        var probabilities = new List<double[]>();
        double lossSum = 0;
        int batchSize = options.Training.BatchSize;
        using var _ = no_grad();
        for (int start = 0; start < validation.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(batchSize, validation.Count - start)).ToArray();
            var logits = feed.EvalLogits(indices);
            lossSum += loss.Compute(logits, validation.Labels(indices)).item<float>() * indices.Length;
            probabilities.AddRange(Rows(logits.softmax(1).to(float64)));
        }
        var labels = validation.Records.Select(r => r.Label).ToArray();
        return new PassResult(lossSum / Math.Max(1, labels.Length), labels, probabilities.ToArray(), labels.Length, watch.Elapsed.TotalSeconds);
    }

    private Dictionary<string, double> Logged(PassResult pass, string prefix)
    {
        var values = new Dictionary<string, double> { [prefix + "loss"] = pass.Loss };
        if (pass.Labels.Length == 0) return values;
        var metrics = ClassificationMetrics.Compute(pass.Labels, pass.Probabilities, options.ClassNames, pass.Loss);
        foreach (var name in options.Metrics.Append("accuracy").Distinct())
            values[prefix + name] = metrics[name];
        return values;
    }

    private static IEnumerable<double[]> Rows(Tensor probabilities)
    {
        var flat = probabilities.data<double>().ToArray();
        int k = (int)probabilities.shape[1];
        for (int i = 0; i < flat.Length / k; i++) yield return flat.AsSpan(i * k, k).ToArray();
    }
}
