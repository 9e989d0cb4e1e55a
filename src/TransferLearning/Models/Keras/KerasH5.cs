using System.Text;
using PureHDF;
using PureHDF.VOL.Native;
using TransferLearning.Reporting;

namespace TransferLearning.Models.Keras;

/// <summary>
/// Reads and writes Keras' legacy HDF5 weight files: <c>model.save_weights("x.h5")</c> (names and weights at the root)
/// and <c>model.save("x.h5")</c> (the same under the <c>model_weights</c> group, beside <c>model_config</c>).
/// </summary>
/// <remarks>
/// The layout, as Keras' <c>legacy_h5_format.py</c> writes it: the weights group has the attribute <c>layer_names</c>
/// (every layer, in model order); each layer has a group with the attribute <c>weight_names</c>
/// (<c>conv1/kernel:0</c>, ...), and each weight is the dataset at that name below the layer's group
/// (<c>conv1/conv1/kernel:0</c>). A functional model used as a layer has one group whose weight names carry the
/// inner layers' names (<c>mobilenetv2_0.35_224/block_1_expand/kernel:0</c>). Keras' official files are older than
/// the rules Keras 3 writes by: DenseNet's have layer names with '/' (<c>conv1/conv</c>, nested groups in HDF5) and
/// VGG's weight names without the layer (<c>block1_conv1_W_1:0</c>); both are read as they are.
/// </remarks>
public static class KerasH5
{
    /// <summary>The group of a full-model save that holds the weights.</summary>
    public const string ModelWeightsGroup = "model_weights";

    /// <summary>The <c>backend</c> attribute <see cref="Write"/> stores.</summary>
    public const string Backend = "tensorflow";

    /// <summary>The <c>keras_version</c> attribute <see cref="Write"/> stores: the last Keras 2, whose <c>load_weights</c> reads these files (Keras 3 too).</summary>
    public const string KerasVersion = "2.15.0";

    // Keras splits a name list into name0, name1, ... when numpy's fixed-width copy of it passes this many bytes
    // (HDF5's object header limit); its reader accepts both forms, and so does ours.
    private const int HeaderLimit = 64512;

    /// <summary>Reads every layer's weights from a Keras legacy <c>.h5</c> file (weights-only or full-model save).</summary>
    /// <param name="path">The <c>.h5</c> file.</param>
    /// <returns>The layers in the file's <c>layer_names</c> order, weights in each layer's <c>weight_names</c> order, as float32.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not HDF5, has neither layout, or a listed weight is missing or not float32/float64;
    /// the one-line message names the file and what was expected.
    /// </exception>
    public static KerasWeightFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Checked here so that a missing file is not reported as "not HDF5".
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such Keras weights file.", path);

        var file = Hdf(path, "not a Keras weights file (.h5): not HDF5", () => H5File.OpenRead(path));
        using (file)
        {
            var (group, groupPath) = FindWeightsGroup(path, file);
            var layers = new List<(string Layer, string Owner, List<KerasWeight> Weights)>();
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);

            foreach (var layerName in ReadNames(path, group, groupPath, "layer_names"))
            {
                var layerPath = Join(groupPath, layerName);
                if (!Hdf(path, $"cannot look up {layerPath}", () => group.LinkExists(layerName)))
                    throw new InvalidDataException($"{path}: layer '{layerName}' is listed in layer_names but the group {layerPath} is missing.");
                var layerGroup = Hdf(path, $"{layerPath} is not a group", () => group.Group(layerName));
                var weightNames = ReadNames(path, layerGroup, layerPath, "weight_names");
                if (weightNames.Count == 0)
                {
                    // Kept (empty) so that a flat model's layer list survives a read-write round trip.
                    LayerList(path, layers, byName, layerName, $"{layerPath}/{layerName}");
                    continue;
                }

                foreach (var weightName in weightNames)
                {
                    var slash = weightName.LastIndexOf('/');
                    var shortName = weightName[(slash + 1)..];
                    if (shortName.EndsWith(":0", StringComparison.Ordinal)) shortName = shortName[..^2];
                    // The layer's own weight: "conv1/kernel:0"; "conv1/conv/kernel:0" of Keras 2's DenseNet layer "conv1/conv";
                    // "block1_conv1_W_1:0" of Keras 1 (VGG's files), named without the layer. Else a layer of a nested model:
                    // "outer/block_1_expand/kernel:0" belongs to block_1_expand (the innermost layer).
                    bool own = slash < 0 || (slash == layerName.Length && weightName.StartsWith(layerName, StringComparison.Ordinal));
                    var owner = own ? layerPath : $"{layerPath}/{weightName[..slash]}";
                    var inner = own ? layerName : owner[(owner.LastIndexOf('/') + 1)..];

                    var weights = LayerList(path, layers, byName, inner, owner);
                    if (weights.Any(w => w.Name == shortName))
                        throw new InvalidDataException($"{path}: layer '{inner}' lists weight '{shortName}' twice.");
                    weights.Add(ReadWeight(path, file, $"{layerPath}/{weightName}", shortName));
                }
            }
            return new KerasWeightFile(path, layers.Select(l => (l.Layer, (IReadOnlyList<KerasWeight>)l.Weights)));
        }
    }

    /// <summary>
    /// Writes <paramref name="layers"/> as Keras 2's <c>model.save_weights("x.h5")</c> does, so that Keras'
    /// <c>load_weights</c> reads it: root attributes <c>layer_names</c>, <c>backend</c>, <c>keras_version</c>;
    /// per layer a group with <c>weight_names</c> (<c>&lt;layer&gt;/&lt;name&gt;:0</c>) and the float32 datasets at
    /// <c>&lt;layer&gt;/&lt;layer&gt;/&lt;name&gt;:0</c>; a layer without weights gets an empty group.
    /// </summary>
    /// <param name="path">The <c>.h5</c> file; written to a temp file beside it, then moved over it.</param>
    /// <param name="layers">Every layer of the model in model order (Keras loads legacy files by position), each with its weights in Keras' order.</param>
    /// <exception cref="ArgumentException">A layer or weight name is empty, has a '/', or appears twice; or a weight's values do not match its shape.</exception>
    /// <exception cref="IOException">The file could not be written; any previous file is intact.</exception>
    public static void Write(string path, IReadOnlyList<(string Layer, IReadOnlyList<KerasWeight> Weights)> layers)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(layers);
        Validate(layers);

        var file = new H5File();
        AddNames(file.Attributes, "layer_names", layers.Select(l => l.Layer).ToArray());
        file.Attributes["backend"] = Backend;
        file.Attributes["keras_version"] = KerasVersion;

        // Keras creates the groups sorted by name ("to avoid prefix issues"); the order of layer_names is what counts.
        foreach (var (layer, weights) in layers.OrderBy(l => l.Layer, StringComparer.Ordinal))
        {
            var group = new H5Group();
            AddNames(group.Attributes, "weight_names", weights.Select(w => $"{layer}/{w.Name}:0").ToArray());
            if (weights.Count > 0)
            {
                var datasets = new H5Group();
                foreach (var w in weights) datasets[$"{w.Name}:0"] = ToDataset(w);
                group[layer] = datasets;
            }
            file[layer] = group;
        }
        AtomicFile.Write(path, temp => file.Write(temp));
    }

    private static (IH5Group Group, string GroupPath) FindWeightsGroup(string path, NativeFile file)
    {
        if (HasNames(path, file, "layer_names")) return (file, "");
        if (Hdf(path, "cannot look up model_weights", () => file.LinkExists(ModelWeightsGroup)))
        {
            var group = Hdf(path, $"{ModelWeightsGroup} is not a group", () => file.Group(ModelWeightsGroup));
            if (HasNames(path, group, "layer_names")) return (group, ModelWeightsGroup);
        }
        // Keras 3's own format (model.save_weights("x.weights.h5")) keeps variables under layers/<name>/vars/<i>.
        if (Hdf(path, "cannot look up layers", () => file.LinkExists("layers")))
            throw new InvalidDataException($"{path}: a Keras 3 .weights.h5 file, which is not read yet; in Keras 3 save with " +
                "model.save(\"model.h5\") (the legacy HDF5 format, which Keras 3 still writes) and give that file.");
        throw new InvalidDataException($"{path}: not a Keras weights file: no layer_names attribute at the root or under {ModelWeightsGroup}.");
    }

    private static bool HasNames(string path, IH5Object owner, string name) =>
        Hdf(path, $"cannot read the attributes of {owner.Name}", () => owner.AttributeExists(name) || owner.AttributeExists(name + "0"));

    /// <summary>A name-list attribute as Keras' <c>load_attributes_from_hdf5_group</c> reads it: whole, or split into name0, name1, ...; missing means empty.</summary>
    private static List<string> ReadNames(string path, IH5Object owner, string ownerPath, string name)
    {
        if (Hdf(path, $"cannot read the attributes of /{ownerPath}", () => owner.AttributeExists(name)))
            return ReadNameAttribute(path, owner, ownerPath, name);
        var names = new List<string>();
        for (var chunk = 0; Hdf(path, $"cannot read the attributes of /{ownerPath}", () => owner.AttributeExists(name + chunk)); chunk++)
            names.AddRange(ReadNameAttribute(path, owner, ownerPath, name + chunk));
        return names;
    }

    private static List<string> ReadNameAttribute(string path, IH5Object owner, string ownerPath, string name)
    {
        var where = $"attribute {name} of /{ownerPath}";
        var attribute = Hdf(path, $"cannot open the {where}", () => owner.Attribute(name));
        // Keras stores an empty list as a float64 array of length 0.
        var (space, type) = Hdf(path, $"cannot read the type of the {where}", () => (attribute.Space, attribute.Type));
        if (Count(space) == 0) return [];
        if (type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
            throw new InvalidDataException($"{path}: the {where} holds {type.Class} values; expected a list of names (strings).");
        // Fixed-length (numpy 'S') or variable-length strings: Keras has written both over the years.
        var values = Hdf(path, $"the {where} is not a list of strings", () =>
            space.Type == H5DataspaceType.Scalar ? [attribute.Read<string>()] : attribute.Read<string[]>());
        // Null-padded fixed-length strings may keep their padding.
        return values.Select(v => v.TrimEnd('\0')).ToList();
    }

    private static KerasWeight ReadWeight(string path, NativeFile file, string datasetPath, string name)
    {
        var dataset = Hdf(path, $"weight /{datasetPath} is missing or not a dataset", () => file.Dataset(datasetPath));
        var (type, space) = Hdf(path, $"cannot read the type of weight /{datasetPath}", () => (dataset.Type, dataset.Space));
        // Integers too: Keras' Normalization keeps its sample count as an int64 weight (EfficientNet's files have one).
        if (type.Class is not (H5DataTypeClass.FloatingPoint or H5DataTypeClass.FixedPoint) || type.Size is not (4 or 8))
            throw new InvalidDataException($"{path}: weight /{datasetPath} is {type.Class} of {type.Size} bytes; expected float32, float64, int32 or int64.");
        if (space.Type == H5DataspaceType.Null)
            throw new InvalidDataException($"{path}: weight /{datasetPath} has no dataspace (null); expected an array.");

        long[] shape = space.Type == H5DataspaceType.Scalar ? [] : space.Dimensions.Select(d => checked((long)d)).ToArray();
        var values = Hdf(path, $"cannot read weight /{datasetPath}", () => (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => dataset.Read<float[]>(),
            (H5DataTypeClass.FloatingPoint, _) => Array.ConvertAll(dataset.Read<double[]>(), v => (float)v),
            (_, 4) => Array.ConvertAll(dataset.Read<int[]>(), v => (float)v),
            _ => Array.ConvertAll(dataset.Read<long[]>(), v => (float)v),
        });
        var expected = shape.Aggregate(1L, (a, b) => a * b);
        if (values.Length != expected)
            throw new InvalidDataException($"{path}: weight /{datasetPath} has {values.Length} values; its shape [{string.Join(", ", shape)}] needs {expected}.");
        return new KerasWeight(name, shape, values);
    }

    /// <summary>The weight list of layer <paramref name="layer"/>, added in file order on first sight.</summary>
    private static List<KerasWeight> LayerList(
        string path, List<(string Layer, string Owner, List<KerasWeight> Weights)> layers, Dictionary<string, int> byName, string layer, string owner)
    {
        if (byName.TryGetValue(layer, out var index))
        {
            // Layers are keyed by their innermost name: two nested models with a layer of the same name cannot both be kept.
            if (layers[index].Owner != owner)
                throw new InvalidDataException($"{path}: two layers are named '{layer}' (/{layers[index].Owner} and /{owner}); expected unique layer names.");
            return layers[index].Weights;
        }
        byName[layer] = layers.Count;
        layers.Add((layer, owner, []));
        return layers[^1].Weights;
    }

    /// <summary>Writes a name list as Keras' <c>save_attributes_to_hdf5_group</c> does.</summary>
    private static void AddNames(IDictionary<string, object> attributes, string name, string[] values)
    {
        if (values.Length == 0)
        {
            // h5py stores Keras' empty Python list as numpy's default: float64, shape (0,).
            attributes[name] = new H5Attribute(Array.Empty<double>(), [0]);
            return;
        }

        // Keras splits by the size of numpy's fixed-width array (itemsize = longest name in bytes), like np.array_split.
        var itemSize = Math.Max(1, values.Max(v => Encoding.UTF8.GetByteCount(v)));
        var chunks = 1;
        while ((values.Length + chunks - 1) / chunks * (long)itemSize > HeaderLimit) chunks++;
        if (chunks == 1)
        {
            attributes[name] = values;
            return;
        }
        for (int chunk = 0, start = 0; chunk < chunks; chunk++)
        {
            var length = values.Length / chunks + (chunk < values.Length % chunks ? 1 : 0);
            attributes[name + chunk] = values[start..(start + length)];
            start += length;
        }
    }

    private static H5Dataset ToDataset(KerasWeight weight) =>
        weight.Shape.Length == 0
            ? new H5Dataset(weight.Values[0])
            : new H5Dataset(weight.Values, fileDims: weight.Shape.Select(d => (ulong)d).ToArray());

    private static void Validate(IReadOnlyList<(string Layer, IReadOnlyList<KerasWeight> Weights)> layers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (layer, weights) in layers)
        {
            // A '/' would turn the name into a path of nested groups that Keras would not find.
            if (string.IsNullOrEmpty(layer) || layer.Contains('/'))
                throw new ArgumentException($"Layer name '{layer}' must be non-empty and have no '/'.", nameof(layers));
            if (!seen.Add(layer)) throw new ArgumentException($"Layer '{layer}' appears twice.", nameof(layers));
            ArgumentNullException.ThrowIfNull(weights, nameof(layers));

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var w in weights)
            {
                if (string.IsNullOrEmpty(w.Name) || w.Name.Contains('/'))
                    throw new ArgumentException($"Layer '{layer}': weight name '{w.Name}' must be a short name (kernel, bias, ...) with no '/'.", nameof(layers));
                if (!names.Add(w.Name)) throw new ArgumentException($"Layer '{layer}': weight '{w.Name}' appears twice.", nameof(layers));
                if (w.Shape.Any(d => d < 0))
                    throw new ArgumentException($"Layer '{layer}': weight '{w.Name}' has a negative dimension in [{string.Join(", ", w.Shape)}].", nameof(layers));
                var expected = w.Shape.Aggregate(1L, (a, b) => a * b);
                if (w.Values.Length != expected)
                    throw new ArgumentException(
                        $"Layer '{layer}': weight '{w.Name}' has {w.Values.Length} values; its shape [{string.Join(", ", w.Shape)}] needs {expected}.", nameof(layers));
            }
        }
    }

    private static ulong Count(IH5Dataspace space) => space.Type switch
    {
        H5DataspaceType.Null => 0,
        H5DataspaceType.Scalar => 1,
        _ => space.Dimensions.Aggregate(1UL, (a, b) => a * b),
    };

    private static string Join(string groupPath, string name) => groupPath.Length == 0 ? name : $"{groupPath}/{name}";

    /// <summary>Runs a PureHDF call; its failures (plain <see cref="Exception"/>s) become one-line <see cref="InvalidDataException"/>s naming the file.</summary>
    private static T Hdf<T>(string path, string what, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException or UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException))
        {
            throw new InvalidDataException($"{path}: {what} ({e.Message.Split('\n')[0].Trim()})", e);
        }
    }
}
