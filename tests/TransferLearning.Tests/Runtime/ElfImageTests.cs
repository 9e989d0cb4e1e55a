using TransferLearning.Runtime;

namespace TransferLearning.Tests.Runtime;

/// <summary>ELF parsing, checked on the real TorchSharp native library shipped with the test output.</summary>
public sealed class ElfImageTests
{
    private static ElfImage LibTorchSharp() =>
        ElfImage.Read(TorchRuntime.FindOriginal() ?? throw new FileNotFoundException("libLibTorchSharp.so is not in the test output"));

    [Fact]
    public void Reads_needed_libraries_and_soname_dependencies()
    {
        var image = LibTorchSharp();
        Assert.Equal(["libtorch.so", "libc10.so", "libtorch_cpu.so"], image.NeededLibraries.Take(3));
        Assert.Contains("libstdc++.so.6", image.NeededLibraries);
    }

    [Fact]
    public void Reads_version_needs_of_libstdcxx_including_the_gcc13_one()
    {
        var cxx = Assert.Single(LibTorchSharp().VersionNeeds, n => n.File == "libstdc++.so.6");
        Assert.Contains(cxx.Versions, v => v.Name == "GLIBCXX_3.4.32" && !v.IsWeak);
        Assert.Contains(cxx.Versions, v => v.Name == "CXXABI_1.3.13");
        Assert.Equal(cxx.Versions.Count, cxx.Versions.Select(v => v.Index).Distinct().Count());
    }

    [Fact]
    public void The_only_symbol_of_GLIBCXX_3_4_32_is_ios_base_library_init_and_nothing_relocates_it()
    {
        var image = LibTorchSharp();
        var need = image.VersionNeeds.SelectMany(n => n.Versions).Single(v => v.Name == "GLIBCXX_3.4.32");
        var symbol = Assert.Single(image.DynamicSymbols, s => s.VersionIndex == need.Index);
        Assert.Equal("_ZSt21ios_base_library_initv", symbol.Name);
        Assert.True(symbol.IsUndefined);
        Assert.DoesNotContain(symbol.Index, image.RelocatedSymbolIndices);
        Assert.NotEmpty(image.RelocatedSymbolIndices); // the library does relocate other imports
    }

    [Fact]
    public void Reads_version_definitions_of_the_system_libstdcxx()
    {
        var path = TorchRuntime.FindLoadedLibrary("libstdc++.so.6");
        Assert.NotNull(path);
        var defined = ElfImage.Read(path).VersionDefinitions;
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
    }

    [Fact]
    public void Rejects_files_that_are_not_elf()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfImage.Parse("not an elf file at all, padding to 64 bytes......................."u8.ToArray(), "x.so"));
        Assert.Contains("x.so", error.Message);
    }

    [Fact]
    public void Rejects_truncated_elf_files_with_a_clear_error()
    {
        var bytes = File.ReadAllBytes(TorchRuntime.FindOriginal()!)[..4096];
        var error = Assert.Throws<InvalidDataException>(() => ElfImage.Parse(bytes, "cut.so"));
        Assert.Contains("cut.so", error.Message);
    }
}
