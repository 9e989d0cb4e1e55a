using System.Globalization;
using System.Net;
using System.Text;
using SkiaSharp;
using TransferLearning.Data;

namespace TransferLearning.Reporting;

/// <summary>One self-contained HTML file (images inlined as data URIs) summarising a run.</summary>
public static class HtmlReport
{
    /// <summary>Writes the report to <paramref name="path"/> (atomically).</summary>
    public static void Write(RunReport report, string path) => AtomicFile.WriteText(path, Render(report));

    /// <summary>The report's HTML.</summary>
    public static string Render(RunReport r)
    {
        var html = new StringBuilder();
        string E(object? x) => WebUtility.HtmlEncode(Convert.ToString(x, CultureInfo.InvariantCulture) ?? "");
        string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(r.Title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
            h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
            table { border-collapse: collapse; margin: .5rem 0; } td, th { border: 1px solid #ccc; padding: .25rem .6rem; text-align: right; }
            th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
            .figures { display: flex; gap: 1rem; flex-wrap: wrap; } .figures div { background: #f4f8fc; padding: .6rem 1rem; border-radius: 6px; }
            .figures b { display: block; font-size: 1.4rem; } img.plot { max-width: 100%; border: 1px solid #eee; }
            pre { background: #f7f7f7; padding: .8rem; overflow-x: auto; font-size: .85rem; }
            .worst { display: flex; flex-wrap: wrap; gap: .8rem; } .worst figure { margin: 0; width: 140px; font-size: .8rem; }
            .worst img { width: 128px; height: 128px; } .bad { color: #b00; }
            </style></head><body>
            <h1>{{E(r.Title)}}</h1>
            """);
        if (r.Validation is { } v)
        {
            html.Append("<div class=\"figures\">");
            foreach (var (name, value) in new[] { ("validation accuracy", v.Report.Accuracy), ("macro F1", v.Report.MacroAverage.F1), ("ROC AUC (macro)", v.RocAucMacro), ("log loss", v.LogLoss) })
                html.Append($"<div>{E(name)}<b>{F(value)}</b></div>");
            html.Append("</div>");
        }

        html.Append("<h2>Data</h2><table><tr><th>class</th><th>training</th><th>validation</th></tr>");
        for (int c = 0; c < r.ClassNames.Count; c++)
            html.Append($"<tr><td>{E(r.ClassNames[c])}</td><td>{r.TrainCounts[c]}</td><td>{(r.ValidationCounts.Count > c ? r.ValidationCounts[c] : 0)}</td></tr>");
        html.Append("</table>");
        html.Append(r.SkippedFiles.Count == 0 ? "<p>No file was skipped.</p>" : $"<p class=\"bad\">{r.SkippedFiles.Count} file(s) skipped:</p><pre>{E(string.Join("\n", r.SkippedFiles))}</pre>");

        html.Append("<h2>Curves and confusion matrix</h2>");
        foreach (var image in r.Images.Where(File.Exists))
            html.Append($"<p><img class=\"plot\" alt=\"{E(Path.GetFileNameWithoutExtension(image))}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(image))}\"></p>");

        if (r.Validation is { } metrics)
        {
            html.Append($"<h2>Classification report (validation)</h2><pre>{E(metrics.Report.ToText())}</pre>");
            html.Append("<h2>Confusion matrix (rows: true, columns: predicted)</h2><table><tr><th></th>");
            foreach (var name in r.ClassNames) html.Append($"<th>{E(name)}</th>");
            html.Append("</tr>");
            var rows = metrics.ConfusionMatrix.ToRows();
            for (int i = 0; i < rows.Length; i++)
                html.Append($"<tr><th>{E(r.ClassNames[i])}</th>{string.Concat(rows[i].Select((n, j) => i == j ? $"<td><b>{n}</b></td>" : n == 0 ? "<td>0</td>" : $"<td class=\"bad\">{n}</td>"))}</tr>");
            html.Append("</table>");
        }

        if (r.Worst.Count > 0)
        {
            html.Append("<h2>Worst-classified validation images</h2><div class=\"worst\">");
            foreach (var w in r.Worst)
                html.Append($"<figure><img alt=\"{E(Path.GetFileName(w.Path))}\" src=\"data:image/jpeg;base64,{Thumbnail(w.Path)}\"><figcaption>" +
                            $"{E(Path.GetFileName(w.Path))}<br>true <b>{E(w.TrueClass)}</b> ({F(w.TrueProbability)})<br>predicted <span class=\"bad\">{E(w.PredictedClass)}</span> ({F(w.Probability)})</figcaption></figure>");
            html.Append("</div>");
        }

        html.Append("<h2>Epochs and timings</h2><table><tr><th>epoch</th><th>phase</th><th>seconds</th><th>images/s</th>");
        var keys = r.History.Epochs.SelectMany(e => e.Values.Keys).Distinct().ToList();
        foreach (var k in keys) html.Append($"<th>{E(k)}</th>");
        html.Append("</tr>");
        foreach (var e in r.History.Epochs)
            html.Append($"<tr><td>{e.Epoch}</td><td>{E(e.Phase)}</td><td>{e.Seconds:F1}</td><td>{e.ImagesPerSecond:F1}</td>{string.Concat(keys.Select(k => $"<td>{(e.Values.TryGetValue(k, out var x) ? F(x) : "")}</td>"))}</tr>");
        html.Append("</table>");

        html.Append("<h2>Environment</h2><table>");
        foreach (var (k, value) in r.Environment) html.Append($"<tr><td>{E(k)}</td><td style=\"text-align:left\">{E(value)}</td></tr>");
        html.Append($"</table><h2>Spec</h2><pre>{E(r.SpecJson)}</pre></body></html>\n");
        return html.ToString();
    }

    private static string Thumbnail(string path)
    {
        try
        {
            var rgb = ImageDecoder.DecodeRgb(path, 128, 128);
            using var bitmap = new SKBitmap(new SKImageInfo(128, 128, SKColorType.Rgba8888, SKAlphaType.Opaque));
            var pixels = bitmap.GetPixelSpan();
            for (int p = 0, q = 0; p < rgb.Length; p += 3, q += 4)
            {
                pixels[q] = rgb[p];
                pixels[q + 1] = rgb[p + 1];
                pixels[q + 2] = rgb[p + 2];
                pixels[q + 3] = 255;
            }
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 85);
            return Convert.ToBase64String(data.ToArray());
        }
        catch (ImageDecodeException)
        {
            return "";
        }
    }
}
