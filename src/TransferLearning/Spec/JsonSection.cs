using System.Globalization;
using System.Text.Json;

namespace TransferLearning.Spec;

/// <summary>
/// Reads one JSON object of a spec field by field, recording every problem (wrong type, out of range,
/// unknown or duplicate key) with its JSON path instead of stopping at the first. Each getter returns
/// the fallback when the key is absent or wrong, so reading always continues.
/// </summary>
internal sealed class JsonSection
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private readonly List<SpecError> _errors;

    private JsonSection(string path, List<SpecError> errors)
    {
        Path = path;
        _errors = errors;
    }

    /// <summary>The JSON path of this object ("" for the root).</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="element"/> as an object whose keys must be among <paramref name="knownKeys"/>.</summary>
    public static JsonSection Open(JsonElement? element, string path, List<SpecError> errors, params string[] knownKeys)
    {
        var section = new JsonSection(path, errors);
        if (element is not { } e || e.ValueKind == JsonValueKind.Null) return section;
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new SpecError(path.Length == 0 ? "(root)" : path, $"expected an object, got {Describe(e)}."));
            return section;
        }
        foreach (var property in e.EnumerateObject())
        {
            var key = section.Child(property.Name);
            if (!knownKeys.Contains(property.Name))
            {
                var hint = Spelling.Suggest(property.Name, knownKeys);
                errors.Add(new SpecError(key, $"unknown key{(hint is null ? "" : $"; did you mean \"{hint}\"?")} Known keys here: {string.Join(", ", knownKeys)}."));
            }
            else if (!section._values.TryAdd(property.Name, property.Value))
                errors.Add(new SpecError(key, "duplicate key; give each key once."));
        }
        return section;
    }

    /// <summary>The JSON path of a key in this object.</summary>
    public string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>True when the key is present (even if null).</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The raw element, or null when absent or JSON null.</summary>
    public JsonElement? Raw(string key) => _values.TryGetValue(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>Records an error at <paramref name="key"/>.</summary>
    public void Error(string key, string message) => _errors.Add(new SpecError(Child(key), message));

    public string? String(string key, string? fallback = null)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        Error(key, $"expected a string, got {Describe(v)}.");
        return fallback;
    }

    public bool Bool(string key, bool fallback)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        Error(key, $"expected true or false, got {Describe(v)}.");
        return fallback;
    }

    public int? Int(string key, int? fallback, int min, int max = int.MaxValue)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
        {
            Error(key, $"expected a whole number, got {Describe(v)}.");
            return fallback;
        }
        if (n < min || n > max)
        {
            Error(key, $"{n} is out of range; expected {Range(min, max)}.");
            return fallback;
        }
        return n;
    }

    /// <summary>A number; <paramref name="exclusiveMin"/>/<paramref name="exclusiveMax"/> make the bounds open.</summary>
    public double? Number(string key, double? fallback, double min, double max, bool exclusiveMin = false, bool exclusiveMax = false)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind != JsonValueKind.Number)
        {
            Error(key, $"expected a number, got {Describe(v)}.");
            return fallback;
        }
        var x = v.GetDouble();
        if (x < min || x > max || (exclusiveMin && x == min) || (exclusiveMax && x == max) || double.IsNaN(x))
        {
            Error(key, $"{x.ToString(CultureInfo.InvariantCulture)} is out of range; expected a number in {(exclusiveMin ? "(" : "[")}{Fmt(min)}, {Fmt(max)}{(exclusiveMax ? ")" : "]")}.");
            return fallback;
        }
        return x;
    }

    /// <summary>One of <paramref name="allowed"/> (keys are the JSON spellings).</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyDictionary<string, T> allowed)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind == JsonValueKind.String && allowed.TryGetValue(v.GetString()!, out var value)) return value;
        Error(key, UnknownValue(v, allowed.Keys));
        return fallback;
    }

    /// <summary>"X is not known; did you mean Y? Known: ..." for a value outside <paramref name="known"/>.</summary>
    public static string UnknownValue(JsonElement v, IEnumerable<string> known)
    {
        var list = known.ToList();
        if (v.ValueKind != JsonValueKind.String) return $"expected one of {string.Join(", ", list.Select(k => $"\"{k}\""))}, got {Describe(v)}.";
        var hint = Spelling.Suggest(v.GetString()!, list);
        return $"\"{v.GetString()}\" is not known{(hint is null ? "" : $"; did you mean \"{hint}\"?")} Known: {string.Join(", ", list)}.";
    }

    public int[]? IntList(string key, int[]? fallback, int min, int max = int.MaxValue)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind != JsonValueKind.Array)
        {
            Error(key, $"expected a list of whole numbers, got {Describe(v)}.");
            return fallback;
        }
        var result = new List<int>();
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var n) || n < min || n > max)
                _errors.Add(new SpecError($"{Child(key)}[{i}]", $"expected a whole number in {Range(min, max)}, got {Describe(item)}."));
            else result.Add(n);
            i++;
        }
        return result.Count == i ? result.ToArray() : fallback;
    }

    public double[]? NumberList(string key, double[]? fallback)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number))
            return v.EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Error(key, $"expected a list of numbers, got {Describe(v)}.");
        return fallback;
    }

    public string[]? StringList(string key, string[]? fallback)
    {
        if (Raw(key) is not { } v) return fallback;
        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String))
            return v.EnumerateArray().Select(x => x.GetString()!).ToArray();
        Error(key, $"expected a list of strings, got {Describe(v)}.");
        return fallback;
    }

    /// <summary>A short description of a JSON value for error messages: <c>"abc"</c>, <c>12</c>, <c>a list</c>.</summary>
    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Range(int min, int max) => max == int.MaxValue ? $"a whole number >= {min}" : $"[{min}, {max}]";

    private static string Fmt(double x) => double.IsInfinity(x) ? "inf" : x.ToString(CultureInfo.InvariantCulture);
}
