namespace TransferLearning.Evaluation;

/// <summary>Precision, recall, F1 and support of one class, or an average over classes.</summary>
public sealed record ClassScores(double Precision, double Recall, double F1, int Support);
