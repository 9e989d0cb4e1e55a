using ScottPlot;
using TransferLearning.Training;

namespace TransferLearning.Reporting;

/// <summary>Curves of logged quantities over epochs (training vs validation) as PNG, with phase boundaries marked.</summary>
public static class TrainingPlots
{
    /// <summary>Writes <c>{plot}.png</c> into <paramref name="folder"/> for each of <paramref name="plots"/> (e.g. <c>accuracy_curve</c>); returns the files written.</summary>
    public static IReadOnlyList<string> Write(TrainingHistory history, IEnumerable<string> plots, string folder)
    {
        var written = new List<string>();
        foreach (var plot in plots.Distinct())
        {
            var metric = plot.EndsWith("_curve", StringComparison.Ordinal) ? plot[..^"_curve".Length] : plot;
            if (history.Epochs.Count == 0 || !history.Epochs[0].Values.ContainsKey(metric)) continue;
            var path = Path.Combine(folder, plot + ".png");
            AtomicFile.Write(path, temp => Curve(history, metric).SavePng(temp, 900, 520));
            written.Add(path);
        }
        return written;
    }

    private static Plot Curve(TrainingHistory history, string metric)
    {
        var plot = new Plot();
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var train = plot.Add.Scatter(epochs, history.Series(metric));
        train.LegendText = $"training {metric}";
        train.LineWidth = 2;
        train.MarkerSize = 6;
        var validationSeries = history.Series("val_" + metric);
        if (validationSeries.Any(v => !double.IsNaN(v)))
        {
            var validation = plot.Add.Scatter(epochs, validationSeries);
            validation.LegendText = $"validation {metric}";
            validation.LineWidth = 2;
            validation.MarkerSize = 6;
        }
        // Phase boundaries (e.g. feature extraction -> fine-tuning), between the last epoch of one phase and the first of the next.
        for (int i = 1; i < history.Epochs.Count; i++)
        {
            if (history.Epochs[i].Phase == history.Epochs[i - 1].Phase) continue;
            var line = plot.Add.VerticalLine(history.Epochs[i].Epoch - 0.5);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
            line.LabelText = $"start of {history.Epochs[i].Phase}";
        }
        plot.Title($"{metric} per epoch");
        plot.XLabel("epoch");
        plot.YLabel(metric);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Curves that rise (accuracy...) leave the lower right empty, falling ones (loss) the upper right.
        plot.ShowLegend(new Training.Callbacks.MetricMonitor(metric, Spec.MonitorMode.Auto).Maximise ? Alignment.LowerRight : Alignment.UpperRight);
        return plot;
    }
}
