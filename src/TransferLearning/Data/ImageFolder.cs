namespace TransferLearning.Data;

/// <summary>
/// A directory data set as Keras' <c>image_dataset_from_directory</c> reads it: one sub-folder per class,
/// classes sorted alphabetically (ordinal), images found recursively by extension. Files with other
/// extensions are listed in <see cref="Ignored"/>, never silently dropped.
/// </summary>
public sealed class ImageFolder
{
    /// <summary>The extensions Keras accepts: jpg, jpeg, png, bmp, gif (first frame), plus webp.</summary>
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp" };

    private ImageFolder(string root, IReadOnlyList<string> classNames, IReadOnlyList<ImageRecord> images, IReadOnlyList<string> ignored)
    {
        Root = root;
        ClassNames = classNames;
        Images = images;
        Ignored = ignored;
    }

    /// <summary>The folder that holds the class folders.</summary>
    public string Root { get; }

    /// <summary>Class names; a label is an index into this list.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Every image file, ordered by class then path (ordinal).</summary>
    public IReadOnlyList<ImageRecord> Images { get; }

    /// <summary>Files that are not images by extension (e.g. <c>notes.txt</c>), relative to <see cref="Root"/>.</summary>
    public IReadOnlyList<string> Ignored { get; }

    /// <summary>How many images each class has, in class order.</summary>
    public IReadOnlyList<int> ClassCounts => ClassNames.Select((_, i) => Images.Count(r => r.Label == i)).ToList();

    /// <summary>Scans <paramref name="root"/>. With <paramref name="classNames"/>, exactly those folders are used, in that order (Keras' <c>class_names</c>).</summary>
    /// <exception cref="DataSetException">The folder is missing, is a file, has no class folders, or a class has no images.</exception>
    public static ImageFolder Scan(string root, IReadOnlyList<string>? classNames = null)
    {
        if (File.Exists(root)) throw new DataSetException($"{root} is a file; expected a folder with one sub-folder per class.");
        if (!Directory.Exists(root)) throw new DataSetException($"{root} does not exist; expected a folder with one sub-folder per class.");
        var found = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (classNames is not null)
        {
            var missing = classNames.Where(c => !found.Contains(c)).ToList();
            if (missing.Count > 0)
                throw new DataSetException($"{root}: class folder(s) {string.Join(", ", missing)} not found; found: {string.Join(", ", found)}.");
        }
        var classes = classNames ?? found;
        if (classes.Count == 0)
            throw new DataSetException($"{root} has no class sub-folders; put each class's images in a folder named after the class.");

        var images = new List<ImageRecord>();
        var ignored = new List<string>();
        var empty = new List<string>();
        for (int label = 0; label < classes.Count; label++)
        {
            var folder = Path.Combine(root, classes[label]);
            var files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
                .Order(StringComparer.Ordinal).ToList();
            var imageFiles = files.Where(f => ImageExtensions.Contains(Path.GetExtension(f))).ToList();
            ignored.AddRange(files.Except(imageFiles).Select(f => Path.GetRelativePath(root, f)));
            if (imageFiles.Count == 0) empty.Add(classes[label]);
            images.AddRange(imageFiles.Select(f => new ImageRecord(f, label)));
        }
        if (empty.Count > 0)
            throw new DataSetException($"{root}: class folder(s) {string.Join(", ", empty)} contain no images (extensions: {string.Join(", ", ImageExtensions)}).");
        return new ImageFolder(root, classes, images, ignored);
    }
}
