using TransferLearning.Spec;

namespace TransferLearning.Training;

/// <summary>Decides whether frozen layers run in bfloat16: always when asked, never when float32 is asked, and with
/// <c>auto</c> only on CPUs that compute bfloat16 natively (elsewhere it is emulated and slower than float32).</summary>
public static class FrozenPrecision
{
    private static readonly Lazy<bool> Native = new(() =>
        OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo")
        && File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags", StringComparison.Ordinal)
            && l.Split(' ').Any(f => f is "avx512_bf16" or "amx_bf16")));

    /// <summary>True when this CPU has native bfloat16 arithmetic (AVX-512 BF16 or AMX).</summary>
    public static bool CpuHasNativeBFloat16 => Native.Value;

    /// <summary>Whether <paramref name="mode"/> means bfloat16 on this machine.</summary>
    public static bool UseBFloat16(PrecisionMode mode) => mode switch
    {
        PrecisionMode.BFloat16 => true,
        PrecisionMode.Float32 => false,
        _ => CpuHasNativeBFloat16,
    };
}
