using System.Buffers.Binary;
using System.Text;

namespace TransferLearning.Runtime;

/// <summary>
/// A minimal reader for 64-bit little-endian ELF shared objects: just enough to see which symbol
/// versions a library needs (<c>.gnu.version_r</c>), which ones another library defines
/// (<c>.gnu.version_d</c>), which dynamic symbols use them and whether any relocation refers to them.
/// </summary>
/// <remarks>
/// Layouts follow the System V gABI and the LSB "Symbol Versioning" chapter. The image keeps the
/// file's bytes; offsets recorded here let <see cref="SymbolVersionPatch"/> rewrite fields in place.
/// </remarks>
public sealed class ElfImage
{
    internal const uint ShtRela = 4, ShtDynamic = 6, ShtRel = 9, ShtDynsym = 11;
    internal const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    internal const int DynsymEntrySize = 24, VernauxSize = 16;

    private readonly byte[] _bytes;

    private ElfImage(byte[] bytes, string path)
    {
        _bytes = bytes;
        Path = path;
        Sections = ReadSections();
        DynamicSymbols = ReadDynamicSymbols();
        VersionNeeds = ReadVersionNeeds();
        VersionDefinitions = ReadVersionDefinitions();
        RelocatedSymbolIndices = ReadRelocatedSymbolIndices();
        NeededLibraries = ReadNeededLibraries();
    }

    /// <summary>The file this image was read from.</summary>
    public string Path { get; }

    /// <summary>The section headers, in file order.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The dynamic symbol table (<c>.dynsym</c>), with each symbol's version index.</summary>
    public IReadOnlyList<ElfSymbol> DynamicSymbols { get; }

    /// <summary>Every version this object needs, per library (<c>.gnu.version_r</c>).</summary>
    public IReadOnlyList<ElfVersionNeed> VersionNeeds { get; }

    /// <summary>The version names this object defines (<c>.gnu.version_d</c>), e.g. <c>GLIBCXX_3.4.30</c>.</summary>
    public IReadOnlyList<string> VersionDefinitions { get; }

    /// <summary>Indices into <see cref="DynamicSymbols"/> that at least one relocation refers to.</summary>
    public IReadOnlySet<int> RelocatedSymbolIndices { get; }

    /// <summary>The libraries this object needs (<c>DT_NEEDED</c>), in order.</summary>
    public IReadOnlyList<string> NeededLibraries { get; }

    /// <summary>A copy of the file's bytes.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>Reads an ELF file; throws <see cref="InvalidDataException"/> naming the file if it is not a 64-bit little-endian ELF.</summary>
    public static ElfImage Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses ELF bytes already in memory; <paramref name="path"/> only names them in errors.</summary>
    public static ElfImage Parse(byte[] bytes, string path = "<memory>")
    {
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file.");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException($"{path}: only 64-bit little-endian ELF files are supported.");
        try
        {
            return new ElfImage(bytes, path);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"{path}: truncated or malformed ELF file.");
        }
    }

    internal ushort U16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(Span(offset, 2));
    internal uint U32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(Span(offset, 4));
    internal ulong U64(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(Span(offset, 8));

    private ReadOnlySpan<byte> Span(long offset, int length)
    {
        if (offset < 0 || offset + length > _bytes.Length) throw new ArgumentOutOfRangeException(nameof(offset));
        return _bytes.AsSpan((int)offset, length);
    }

    private string CString(long offset)
    {
        var end = (int)offset;
        while (end < _bytes.Length && _bytes[end] != 0) end++;
        return Encoding.UTF8.GetString(_bytes, (int)offset, end - (int)offset);
    }

    private List<ElfSection> ReadSections()
    {
        long shoff = (long)U64(0x28);
        int shentsize = U16(0x3A), shnum = U16(0x3C), shstrndx = U16(0x3E);
        var raw = new List<(uint Name, uint Type, long Offset, long Size, uint Link, uint Info, long EntSize)>();
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            raw.Add((U32(h), U32(h + 4), (long)U64(h + 0x18), (long)U64(h + 0x20), U32(h + 0x28), U32(h + 0x2C), (long)U64(h + 0x38)));
        }
        long namesOffset = shstrndx < raw.Count ? raw[shstrndx].Offset : 0;
        return raw.Select((s, i) => new ElfSection(i, CString(namesOffset + s.Name), s.Type, s.Offset, s.Size, s.Link, s.Info, s.EntSize)).ToList();
    }

    private ElfSection? FirstSection(uint type) => Sections.FirstOrDefault(s => s.Type == type);

    private List<ElfSymbol> ReadDynamicSymbols()
    {
        var dynsym = FirstSection(ShtDynsym);
        if (dynsym is null) return [];
        var strtab = Sections[(int)dynsym.Link];
        var versym = FirstSection(ShtGnuVersym);
        int count = (int)(dynsym.Size / DynsymEntrySize);
        var symbols = new List<ElfSymbol>(count);
        for (int i = 0; i < count; i++)
        {
            long e = dynsym.Offset + (long)i * DynsymEntrySize;
            ushort version = versym is null ? (ushort)1 : (ushort)(U16(versym.Offset + 2L * i) & 0x7fff);
            symbols.Add(new ElfSymbol(i, CString(strtab.Offset + U32(e)), _bytes[e + 4], U16(e + 6), version, e));
        }
        return symbols;
    }

    private List<ElfVersionNeed> ReadVersionNeeds()
    {
        var section = FirstSection(ShtGnuVerneed);
        if (section is null) return [];
        var strtab = Sections[(int)section.Link];
        var needs = new List<ElfVersionNeed>();
        long entry = section.Offset;
        for (int n = 0; n < section.Info; n++)
        {
            int count = U16(entry + 2);
            string file = CString(strtab.Offset + U32(entry + 4));
            var versions = new List<ElfVersionNeedEntry>();
            long aux = entry + U32(entry + 8);
            for (int a = 0; a < count; a++)
            {
                versions.Add(new ElfVersionNeedEntry(CString(strtab.Offset + U32(aux + 8)), U16(aux + 4), U16(aux + 6), aux));
                aux += U32(aux + 12);
            }
            needs.Add(new ElfVersionNeed(file, versions));
            uint next = U32(entry + 12);
            if (next == 0) break;
            entry += next;
        }
        return needs;
    }

    private List<string> ReadVersionDefinitions()
    {
        var section = FirstSection(ShtGnuVerdef);
        if (section is null) return [];
        var strtab = Sections[(int)section.Link];
        var names = new List<string>();
        long entry = section.Offset;
        for (int n = 0; n < section.Info; n++)
        {
            // The first Verdaux of each Verdef holds the version's own name; later ones name its parents.
            names.Add(CString(strtab.Offset + U32(entry + U32(entry + 12))));
            uint next = U32(entry + 16);
            if (next == 0) break;
            entry += next;
        }
        return names;
    }

    private List<string> ReadNeededLibraries()
    {
        var dynamic = FirstSection(ShtDynamic);
        if (dynamic is null) return [];
        var strtab = Sections[(int)dynamic.Link];
        var needed = new List<string>();
        for (long e = dynamic.Offset; e + 16 <= dynamic.Offset + dynamic.Size; e += 16)
        {
            ulong tag = U64(e);
            if (tag == 0) break;          // DT_NULL ends the table
            if (tag == 1)                 // DT_NEEDED
                needed.Add(CString(strtab.Offset + (long)U64(e + 8)));
        }
        return needed;
    }

    private HashSet<int> ReadRelocatedSymbolIndices()
    {
        var indices = new HashSet<int>();
        var dynsym = FirstSection(ShtDynsym);
        if (dynsym is null) return indices;
        foreach (var section in Sections.Where(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == dynsym.Index))
        {
            long entrySize = section.EntrySize > 0 ? section.EntrySize : section.Type == ShtRela ? 24 : 16;
            for (long e = section.Offset; e + entrySize <= section.Offset + section.Size; e += entrySize)
            {
                int symbol = (int)(U64(e + 8) >> 32);
                if (symbol != 0) indices.Add(symbol);
            }
        }
        return indices;
    }
}

/// <summary>An ELF section header.</summary>
public sealed record ElfSection(int Index, string Name, uint Type, long Offset, long Size, uint Link, uint Info, long EntrySize);

/// <summary>A dynamic symbol; <see cref="VersionIndex"/> is its <c>.gnu.version</c> entry (0 local, 1 global).</summary>
public sealed record ElfSymbol(int Index, string Name, byte Info, ushort SectionIndex, ushort VersionIndex, long EntryOffset)
{
    /// <summary>True when the symbol is undefined here, i.e. imported from another object.</summary>
    public bool IsUndefined => SectionIndex == 0;

    /// <summary>The symbol's binding: 0 local, 1 global, 2 weak.</summary>
    public int Binding => Info >> 4;
}

/// <summary>The versions an object needs from one library (<c>Verneed</c>).</summary>
public sealed record ElfVersionNeed(string File, IReadOnlyList<ElfVersionNeedEntry> Versions);

/// <summary>One needed version (<c>Vernaux</c>): name, flags (2 = weak) and the index symbols refer to.</summary>
public sealed record ElfVersionNeedEntry(string Name, ushort Flags, ushort Index, long EntryOffset)
{
    /// <summary><c>VER_FLG_WEAK</c>: the dynamic linker does not fail when the version is missing.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>True when the need is weak.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}
