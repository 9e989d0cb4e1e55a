using System.Globalization;
using System.Text;

namespace TransferLearning.Training;

/// <summary>Every epoch's log, in order: what Keras' <c>History</c> holds.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochLog> _epochs = [];

    /// <summary>The epochs so far.</summary>
    public IReadOnlyList<EpochLog> Epochs => _epochs;

    /// <summary>Appends an epoch.</summary>
    public void Add(EpochLog log) => _epochs.Add(log);

    /// <summary>One value per epoch for <paramref name="key"/> (NaN where it was not logged).</summary>
    public double[] Series(string key) => _epochs.Select(e => e.Values.GetValueOrDefault(key, double.NaN)).ToArray();

    /// <summary>CSV with a header: epoch, phase, seconds, images/s, then every logged key.</summary>
    public string ToCsv()
    {
        var keys = _epochs.SelectMany(e => e.Values.Keys).Distinct().ToList();
        var csv = new StringBuilder("epoch,phase,seconds,images_per_second," + string.Join(",", keys) + "\n");
        foreach (var e in _epochs)
            csv.Append(string.Join(",", new[] { e.Epoch.ToString(CultureInfo.InvariantCulture), e.Phase, F(e.Seconds), F(e.ImagesPerSecond) }
                .Concat(keys.Select(k => e.Values.TryGetValue(k, out var v) ? F(v) : "")))).Append('\n');
        return csv.ToString();
    }

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
