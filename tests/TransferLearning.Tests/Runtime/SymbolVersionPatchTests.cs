using TransferLearning.Runtime;

namespace TransferLearning.Tests.Runtime;

/// <summary>The libstdc++ version relaxation, on the real TorchSharp library against a libstdc++ that lacks GLIBCXX_3.4.32.</summary>
public sealed class SymbolVersionPatchTests
{
    private static readonly ElfImage Image = ElfImage.Read(TorchRuntime.FindOriginal()!);
    private static readonly ElfImage SystemCxx = ElfImage.Read(TorchRuntime.FindLoadedLibrary("libstdc++.so.6")!);

    [Fact]
    public void Plans_only_the_versions_the_provider_lacks()
    {
        var patch = SymbolVersionPatch.Plan(Image, "libstdc++.so.6", SystemCxx);
        var defined = SystemCxx.VersionDefinitions.ToHashSet();
        Assert.All(patch.Missing, m => Assert.DoesNotContain(m.Need.Name, defined));
        var expected = Image.VersionNeeds.Single(n => n.File == "libstdc++.so.6").Versions.Count(v => !defined.Contains(v.Name));
        Assert.Equal(expected, patch.Missing.Count);
        Assert.Equal(expected > 0, patch.IsNeeded);
    }

    [Fact]
    public void Is_a_no_op_when_the_provider_defines_everything()
    {
        // This machine's glibc defines every GLIBC_* version the library needs from libc.so.6.
        var libc = ElfImage.Read(TorchRuntime.FindLoadedLibrary("libc.so.6")!);
        var patch = SymbolVersionPatch.Plan(Image, "libc.so.6", libc);
        Assert.False(patch.IsNeeded);
        Assert.Empty(patch.Missing);
        Assert.NotEmpty(Image.VersionNeeds.Single(n => n.File == "libc.so.6").Versions);
    }

    [Fact]
    public void Patched_bytes_mark_the_version_weak_and_the_symbol_weak_and_unversioned()
    {
        var patch = SymbolVersionPatch.Plan(Image, "libstdc++.so.6", SystemCxx);
        if (!patch.IsNeeded)
            return; // the system libstdc++ is GCC 13 or newer: nothing to patch on this machine
        Assert.True(patch.CanPatch);
        var patched = ElfImage.Parse(patch.Apply(), "patched.so");
        foreach (var missing in patch.Missing)
        {
            Assert.True(patched.VersionNeeds.SelectMany(n => n.Versions).Single(v => v.Name == missing.Need.Name).IsWeak);
            foreach (var symbol in missing.Symbols)
            {
                var after = patched.DynamicSymbols[symbol.Index];
                Assert.Equal(symbol.Name, after.Name);
                Assert.Equal(2, after.Binding);
                Assert.Equal(1, after.VersionIndex);
            }
        }
        // Everything else is byte-for-byte the same size and the other needs are untouched.
        Assert.Equal(Image.ToArray().Length, patched.ToArray().Length);
        Assert.Equal(Image.VersionNeeds.SelectMany(n => n.Versions).Count(v => v.IsWeak) + patch.Missing.Count,
            patched.VersionNeeds.SelectMany(n => n.Versions).Count(v => v.IsWeak));
        Assert.False(SymbolVersionPatch.Plan(patched, "libstdc++.so.6", SystemCxx).IsNeeded);
    }

    [Fact]
    public void Refuses_to_patch_a_version_that_a_relocation_uses()
    {
        // Pretend the provider defines nothing: then relocated symbols (e.g. operator new) are among the missing.
        var empty = ElfImage.Read(TorchRuntime.FindOriginal()!); // defines no GLIBCXX versions
        var patch = SymbolVersionPatch.Plan(Image, "libstdc++.so.6", empty);
        Assert.False(patch.CanPatch);
        var error = Assert.Throws<InvalidOperationException>(() => patch.Apply());
        Assert.Contains("GLIBCXX_3.4.32", error.Message);
    }
}
