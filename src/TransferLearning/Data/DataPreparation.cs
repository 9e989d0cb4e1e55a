using TransferLearning.Spec;

namespace TransferLearning.Data;

/// <summary>From the spec's dataset section to decoded images: scan, split (stratified, seeded), decode once.</summary>
public static class DataPreparation
{
    /// <summary>Lists the images the spec points at, split into train/validation/test records, without decoding.</summary>
    /// <exception cref="DataSetException">A folder is missing or unusable, or head.output_classes disagrees with the folders.</exception>
    public static (IReadOnlyList<string> ClassNames, IReadOnlyList<ImageRecord> Train, IReadOnlyList<ImageRecord>? Validation, IReadOnlyList<ImageRecord>? Test, IReadOnlyList<string> Ignored)
        Scan(ExperimentSpec spec, int seed)
    {
        var d = spec.Dataset;
        ImageFolder train;
        IReadOnlyList<ImageRecord>? validation = null;
        IReadOnlyList<ImageRecord> trainRecords;
        var ignored = new List<string>();
        if (d.Path is not null)
        {
            train = ImageFolder.Scan(spec.Resolve(d.Path), d.ClassNames);
            trainRecords = train.Images;
            if (d.ValidationSplit is { } fraction)
                (trainRecords, validation) = StratifiedSplit.Split(train.Images, fraction, seed);
        }
        else
        {
            train = ImageFolder.Scan(spec.Resolve(d.TrainPath!), d.ClassNames);
            trainRecords = train.Images;
            if (d.ValidationPath is not null)
            {
                var v = ImageFolder.Scan(spec.Resolve(d.ValidationPath), train.ClassNames);
                validation = v.Images;
                ignored.AddRange(v.Ignored);
            }
        }
        ignored.AddRange(train.Ignored);
        IReadOnlyList<ImageRecord>? test = null;
        if (d.TestPath is not null)
        {
            var t = ImageFolder.Scan(spec.Resolve(d.TestPath), train.ClassNames);
            test = t.Images;
            ignored.AddRange(t.Ignored);
        }
        if (train.ClassNames.Count < 2)
            throw new DataSetException($"{train.Root} has only one class folder ({train.ClassNames[0]}); classification needs at least two.");
        if (spec.Head.OutputClasses is { } declared && declared != train.ClassNames.Count)
            throw new DataSetException($"head.output_classes is {declared} but {train.Root} has {train.ClassNames.Count} class folders ({string.Join(", ", train.ClassNames)}); " +
                "fix the number or leave it out to infer it.");
        return (train.ClassNames, trainRecords, validation, test, ignored);
    }

    /// <summary>Scans and decodes everything at <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static PreparedData Prepare(ExperimentSpec spec, int seed, int height, int width, Action<string> log)
    {
        var (classNames, train, validation, test, ignored) = Scan(spec, seed);
        long bytes = (long)(train.Count + (validation?.Count ?? 0) + (test?.Count ?? 0)) * height * width * 3;
        bool stream = bytes > (long)spec.Dataset.CacheBudgetMb << 20;
        log(stream
            ? $"decoded images would take {bytes >> 20} MB, over dataset.cache_budget_mb ({spec.Dataset.CacheBudgetMb}): checking every file now, decoding batches as they are needed"
            : $"decoding {train.Count + (validation?.Count ?? 0) + (test?.Count ?? 0)} images at {height}x{width} ({bytes >> 20} MB in memory)");
        DecodedImages Load(IReadOnlyList<ImageRecord> records) => stream ? DecodedImages.Stream(records, height, width) : DecodedImages.Decode(records, height, width);
        var data = new PreparedData(classNames, Load(train), validation is null ? null : Load(validation), test is null ? null : Load(test), ignored);
        foreach (var skipped in data.Skipped) log($"warning: skipped {skipped.Message}");
        foreach (var file in ignored) log($"warning: ignored {file} (not an image extension)");
        var counts = data.Train.CountPerClass(classNames.Count);
        var empty = classNames.Where((_, c) => counts[c] == 0).ToList();
        if (empty.Count > 0)
            throw new DataSetException($"class(es) {string.Join(", ", empty)} have no readable training images left after skipping bad files.");
        return data;
    }
}
