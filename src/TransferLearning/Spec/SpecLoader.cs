using System.Text.Json;

namespace TransferLearning.Spec;

/// <summary>
/// Reads a spec in the seed's JSON format (Keras names and meanings) into an <see cref="ExperimentSpec"/>,
/// collecting every problem with its JSON path and throwing them together in one <see cref="SpecException"/>.
/// Unknown keys, wrong types, out-of-range values and duplicate keys are all errors.
/// </summary>
public static class SpecLoader
{
    /// <summary>Loads and validates the spec file at <paramref name="path"/>; relative paths inside resolve against its folder.</summary>
    public static ExperimentSpec Load(string path)
    {
        if (Directory.Exists(path)) throw new SpecException(path, [new SpecError("", "is a folder; pass the spec's JSON file.")]);
        if (!File.Exists(path)) throw new SpecException(path, [new SpecError("", "does not exist.")]);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecException(path, [new SpecError("", $"cannot be read: {e.Message}")]);
        }
        return Parse(json, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>Parses spec JSON text; <paramref name="baseDirectory"/> anchors relative paths, <paramref name="source"/> names it in errors.</summary>
    public static ExperimentSpec Parse(string json, string baseDirectory, string source = "spec")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {e.BytePositionInLine + 1}" : "(json)";
            throw new SpecException(source, [new SpecError(where, $"not valid JSON: {e.Message.Split(" LineNumber")[0]}")]);
        }
        using (document)
        {
            var errors = new List<SpecError>();
            var spec = Read(document.RootElement, baseDirectory, errors);
            if (errors.Count > 0) throw new SpecException(source, errors);
            return spec;
        }
    }

    private static ExperimentSpec Read(JsonElement root, string baseDirectory, List<SpecError> errors)
    {
        var r = JsonSection.Open(root, "", errors, "task", "dataset", "model", "head", "training", "augmentation", "metrics", "outputs", "device");
        if (r.String("task") is { } task && task != SpecVocabulary.Task)
            r.Error("task", $"\"{task}\" is not supported; the only task is \"{SpecVocabulary.Task}\".");
        if (!r.Has("dataset")) errors.Add(new SpecError("dataset", "is required: say where the images are (dataset.path)."));

        var metrics = r.StringList("metrics", ["accuracy"])!;
        foreach (var (metric, i) in metrics.Select((m, i) => (m, i)).Where(x => !SpecVocabulary.Metrics.Contains(x.m)))
            errors.Add(new SpecError($"metrics[{i}]", $"\"{metric}\" is not known{Hint(metric, SpecVocabulary.Metrics)} Known: {string.Join(", ", SpecVocabulary.Metrics)}."));

        var spec = new ExperimentSpec
        {
            BaseDirectory = baseDirectory,
            Dataset = SpecSections.Dataset(r.Raw("dataset"), errors),
            Model = SpecSections.Model(r.Raw("model"), errors),
            Head = SpecSections.Head(r.Raw("head"), errors),
            Training = SpecSections.Training(r.Raw("training"), errors),
            Augmentation = SpecSections.Augmentation(r.Raw("augmentation"), errors),
            Metrics = metrics,
            Outputs = SpecSections.Outputs(r.Raw("outputs"), errors),
            Device = r.Choice("device", DeviceKind.Auto, SpecVocabulary.Devices),
        };
        CheckMonitors(spec, errors);
        return spec;
    }

    /// <summary>Early stopping and checkpoint may only watch quantities that are logged, and val_* ones need validation data.</summary>
    private static void CheckMonitors(ExperimentSpec spec, List<SpecError> errors)
    {
        var logged = new[] { "loss" }.Concat(spec.Metrics).Append("accuracy").Distinct().ToList();
        var known = logged.Concat(logged.Select(m => "val_" + m)).ToList();
        void Check(string path, string monitor)
        {
            if (!known.Contains(monitor))
                errors.Add(new SpecError(path, $"\"{monitor}\" is not logged{Hint(monitor, known)} Logged: {string.Join(", ", known)}."));
            else if (monitor.StartsWith("val_", StringComparison.Ordinal) && !spec.HasValidation)
                errors.Add(new SpecError(path, $"\"{monitor}\" needs validation data; set dataset.validation_split (e.g. 0.2) or dataset.validation_path, or monitor \"{monitor[4..]}\"."));
        }
        if (spec.Training.EarlyStopping is { } es) Check("training.early_stopping.monitor", es.Monitor);
        if (spec.Training.Checkpoint is { } cp) Check("training.checkpoint.monitor", cp.Monitor);
        if (spec.Training.LearningRateSchedule is { Kind: ScheduleKind.ReduceOnPlateau } plateau) Check("training.lr_schedule.monitor", plateau.Monitor);
    }

    internal static string Hint(string word, IEnumerable<string> known) =>
        Spelling.Suggest(word, known) is { } hint ? $"; did you mean \"{hint}\"?" : ".";
}
