namespace TransferLearning.Evaluation;

/// <summary>Counts of (true class, predicted class) pairs; rows are true classes, columns predictions, as scikit-learn.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Counts the pairs of <paramref name="trueLabels"/> and <paramref name="predictedLabels"/> over <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(IReadOnlyList<int> trueLabels, IReadOnlyList<int> predictedLabels, int classes)
    {
        if (trueLabels.Count != predictedLabels.Count) throw new ArgumentException("true and predicted labels differ in count");
        _counts = new int[classes, classes];
        for (int i = 0; i < trueLabels.Count; i++) _counts[trueLabels[i], predictedLabels[i]]++;
        Total = trueLabels.Count;
    }

    /// <summary>Number of classes.</summary>
    public int Classes => _counts.GetLength(0);

    /// <summary>Number of samples.</summary>
    public int Total { get; }

    /// <summary>Samples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Samples whose true class is <paramref name="c"/>.</summary>
    public int TrueCount(int c) => Enumerable.Range(0, Classes).Sum(p => _counts[c, p]);

    /// <summary>Samples predicted as <paramref name="c"/>.</summary>
    public int PredictedCount(int c) => Enumerable.Range(0, Classes).Sum(t => _counts[t, c]);

    /// <summary>The matrix as nested arrays, row by row.</summary>
    public int[][] ToRows() => Enumerable.Range(0, Classes).Select(r => Enumerable.Range(0, Classes).Select(c => _counts[r, c]).ToArray()).ToArray();
}
