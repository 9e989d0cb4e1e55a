namespace TransferLearning.Evaluation;

/// <summary>Metrics on predicted probabilities, as scikit-learn computes them: ROC AUC (one-vs-rest), log loss, top-k accuracy.</summary>
public static class ProbabilityMetrics
{
    /// <summary>
    /// One-vs-rest ROC AUC averaged over classes (macro, or weighted by support) as <c>roc_auc_score(multi_class="ovr")</c>.
    /// Each class's AUC is the Mann-Whitney statistic with ties counted as one half, which equals the trapezoidal area.
    /// Classes with no positive or no negative sample are left out of the average.
    /// </summary>
    public static double RocAucOvr(IReadOnlyList<int> trueLabels, double[][] probabilities, bool weighted = false)
    {
        int k = probabilities[0].Length;
        double sum = 0, weights = 0;
        for (int c = 0; c < k; c++)
        {
            int positives = trueLabels.Count(y => y == c);
            if (positives == 0 || positives == trueLabels.Count) continue;
            double auc = BinaryAuc(trueLabels.Select(y => y == c).ToArray(), probabilities.Select(p => p[c]).ToArray());
            double w = weighted ? positives : 1;
            sum += auc * w;
            weights += w;
        }
        return weights == 0 ? double.NaN : sum / weights;
    }

    /// <summary>Area under the ROC curve for one binary problem (average ranks for ties).</summary>
    public static double BinaryAuc(bool[] positive, double[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1; // 1-based average rank of the tie group
            for (int t = i; t <= j; t++) ranks[order[t]] = rank;
            i = j + 1;
        }
        long nPos = positive.LongCount(p => p), nNeg = positive.Length - nPos;
        double rankSum = ranks.Where((_, i) => positive[i]).Sum();
        return (rankSum - nPos * (nPos + 1) / 2.0) / (nPos * (double)nNeg);
    }

    /// <summary>Mean negative log-likelihood of the true class, rows renormalised and clipped to [eps, 1 - eps] as <c>log_loss</c>.</summary>
    public static double LogLoss(IReadOnlyList<int> trueLabels, double[][] probabilities)
    {
        const double eps = 2.220446049250313e-16; // numpy float64 eps, scikit-learn's "auto"
        double total = 0;
        for (int i = 0; i < trueLabels.Count; i++)
        {
            double rowSum = probabilities[i].Sum(p => Math.Clamp(p, eps, 1 - eps));
            total -= Math.Log(Math.Clamp(probabilities[i][trueLabels[i]], eps, 1 - eps) / rowSum);
        }
        return total / trueLabels.Count;
    }

    /// <summary>Fraction of samples whose true class is among the <paramref name="k"/> highest scores (ties: higher class index first, as scikit-learn's stable sort reversed).</summary>
    public static double TopKAccuracy(IReadOnlyList<int> trueLabels, double[][] probabilities, int k)
    {
        int hits = 0;
        for (int i = 0; i < trueLabels.Count; i++)
        {
            var row = probabilities[i];
            var top = Enumerable.Range(0, row.Length).OrderByDescending(c => row[c]).ThenByDescending(c => c).Take(k);
            if (top.Contains(trueLabels[i])) hits++;
        }
        return (double)hits / trueLabels.Count;
    }
}
