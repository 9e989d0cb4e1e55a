using System.Buffers.Binary;

namespace TransferLearning.Runtime;

/// <summary>
/// Relaxes the symbol-version needs that one library has on another when the provider is too old,
/// provided nothing actually binds to a symbol of a missing version.
/// </summary>
/// <remarks>
/// Why this exists: TorchSharp 0.107's <c>libLibTorchSharp.so</c> was built with GCC 13 and so needs
/// <c>GLIBCXX_3.4.32</c>, which Debian 12 / Ubuntu 22.04 (GCC 12) lack. The only symbol of that
/// version is <c>std::ios_base_library_init()</c>, which GCC 13's <c>&lt;iostream&gt;</c> references
/// with a bare <c>.globl</c> purely to pull in that version; no relocation uses it. The patch marks
/// the version need <c>VER_FLG_WEAK</c> (the dynamic linker then tolerates its absence), makes the
/// symbol unversioned and weak (an unresolved weak symbol is not an error). Standard streams are
/// still initialised: libtorch's own <c>libc10.so</c> and <c>libtorch_cpu.so</c>, loaded first,
/// construct <c>std::ios_base::Init</c>. A missing version that a relocation does use cannot be
/// patched away, and <see cref="CanPatch"/> says so.
/// </remarks>
public sealed class SymbolVersionPatch
{
    private SymbolVersionPatch(ElfImage image, string providerFile, IReadOnlyList<MissingVersion> missing)
    {
        Image = image;
        ProviderFile = providerFile;
        Missing = missing;
    }

    /// <summary>The library whose needs are examined.</summary>
    public ElfImage Image { get; }

    /// <summary>The needed library's file name, as in <c>DT_NEEDED</c> (e.g. <c>libstdc++.so.6</c>).</summary>
    public string ProviderFile { get; }

    /// <summary>The needed versions the provider does not define, with the symbols that use each.</summary>
    public IReadOnlyList<MissingVersion> Missing { get; }

    /// <summary>True when nothing is missing: the library loads as it is.</summary>
    public bool IsNeeded => Missing.Any(m => !m.Need.IsWeak);

    /// <summary>True when every missing version is used only by symbols that no relocation refers to.</summary>
    public bool CanPatch => Missing.All(m => m.Symbols.All(s => s.IsUndefined && !Image.RelocatedSymbolIndices.Contains(s.Index)));

    /// <summary>
    /// Compares what <paramref name="image"/> needs from <paramref name="providerFile"/> with the
    /// versions that <paramref name="provider"/> (the copy the dynamic linker will load) defines.
    /// </summary>
    public static SymbolVersionPatch Plan(ElfImage image, string providerFile, ElfImage provider)
    {
        var defined = provider.VersionDefinitions.ToHashSet(StringComparer.Ordinal);
        var missing = image.VersionNeeds
            .Where(n => n.File == providerFile)
            .SelectMany(n => n.Versions)
            .Where(v => !defined.Contains(v.Name))
            .Select(v => new MissingVersion(v, image.DynamicSymbols.Where(s => s.VersionIndex == v.Index).ToList()))
            .ToList();
        return new SymbolVersionPatch(image, providerFile, missing);
    }

    /// <summary>Describes the missing versions and their symbols in one line, for errors and logs.</summary>
    public string Describe() => string.Join("; ", Missing.Select(m =>
        $"{m.Need.Name} (symbols: {(m.Symbols.Count == 0 ? "none" : string.Join(", ", m.Symbols.Select(s => s.Name)))})"));

    /// <summary>Returns the patched file bytes; throws <see cref="InvalidOperationException"/> when <see cref="CanPatch"/> is false.</summary>
    public byte[] Apply()
    {
        if (!CanPatch)
            throw new InvalidOperationException($"{Image.Path}: cannot relax {Describe()}: a relocation uses one of these symbols.");
        var bytes = Image.ToArray();
        var versym = Image.Sections.FirstOrDefault(s => s.Type == ElfImage.ShtGnuVersym);
        foreach (var missing in Missing)
        {
            var flagsAt = (int)missing.Need.EntryOffset + 4;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(flagsAt), (ushort)(missing.Need.Flags | ElfVersionNeedEntry.WeakFlag));
            foreach (var symbol in missing.Symbols)
            {
                const int stbWeak = 2;
                bytes[symbol.EntryOffset + 4] = (byte)((stbWeak << 4) | (symbol.Info & 0x0f));
                if (versym is not null)
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)(versym.Offset + 2L * symbol.Index)), 1); // VER_NDX_GLOBAL
            }
        }
        return bytes;
    }
}

/// <summary>A needed version that the provider lacks, and the dynamic symbols bound to it.</summary>
public sealed record MissingVersion(ElfVersionNeedEntry Need, IReadOnlyList<ElfSymbol> Symbols);
