using TransferLearning.Evaluation;
using TransferLearning.Training;

namespace TransferLearning;

/// <summary>What a training run produced.</summary>
/// <param name="RunDirectory">Folder with metrics.json, history.csv, reports and the exported model.</param>
/// <param name="ModelDirectory">The exported model folder.</param>
/// <param name="History">Every epoch's figures.</param>
/// <param name="Validation">Final figures of the kept (best) model on the validation data, or null without validation data.</param>
/// <param name="Cancelled">True when the run was stopped (Ctrl-C) before its planned end.</param>
public sealed record RunResult(string RunDirectory, string ModelDirectory, TrainingHistory History, ClassificationMetrics? Validation, bool Cancelled);
