using ScottPlot;
using TransferLearning.Evaluation;

namespace TransferLearning.Reporting;

/// <summary>The confusion matrix as a PNG heatmap: rows true classes, columns predictions, counts in the cells, shading normalised per row.</summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Writes the heatmap to <paramref name="path"/> (atomically).</summary>
    public static void Write(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string path, string title)
    {
        int n = matrix.Classes;
        var shade = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            double total = Math.Max(1, matrix.TrueCount(r));
            for (int c = 0; c < n; c++) shade[r, c] = matrix[r, c] / total;
        }
        var plot = new Plot();
        // Cells are drawn as rectangles: a scaled heatmap bitmap puts its pixel edges off the half units.
        var colormap = new ScottPlot.Colormaps.Blues().Reversed(); // white for none of the row, dark blue for all of it
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                double y = n - 1 - r; // row 0 at the top, as printed tables read
                var cell = plot.Add.Rectangle(c - 0.5, c + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colormap.GetColor(shade[r, c]);
                cell.LineColor = Colors.White;
                var text = plot.Add.Text(matrix[r, c].ToString(), c, y);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 16;
                text.LabelFontColor = shade[r, c] > 0.5 ? Colors.White : Colors.Black;
            }
        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.Title($"{title} (shading: share of the true class)");
        int size = Math.Max(520, 90 * n + 260);
        AtomicFile.Write(path, temp => plot.SavePng(temp, size + 40, size));
    }
}
