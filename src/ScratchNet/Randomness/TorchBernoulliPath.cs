using System.Runtime.Intrinsics.X86;
using System.Text;

namespace ScratchNet.Randomness;

/// <summary>
/// The two CPU paths of libtorch's <c>bernoulli_(p)</c> with a scalar p (<c>bernoulli_scalar_kernel</c> in
/// aten/src/ATen/native/cpu/DistributionKernels.cpp), which is what Dropout draws its masks with. Which one runs depends
/// on the machine, not on the program: a build with MKL (the official x86-64 builds) asks cpuinfo for the vendor of
/// processor 0 and takes <see cref="IntelMkl"/> on an Intel CPU, <see cref="PerElement"/> on any other.
/// </summary>
public enum TorchBernoulliPath
{
    /// <summary>The default kernel: two 32-bit outputs of the generator per element (a CPU not made by Intel, or no MKL).</summary>
    PerElement,

    /// <summary>One 32-bit output seeds MKL's MCG31 stream, which draws the whole tensor (<see cref="Mcg31Bernoulli"/>).</summary>
    IntelMkl,
}

/// <summary>Which <see cref="TorchBernoulliPath"/> the official libtorch takes on this machine.</summary>
public static class TorchBernoulliPaths
{
    /// <summary>
    /// <see cref="TorchBernoulliPath.IntelMkl"/> when this CPU reports the vendor "GenuineIntel" (CPUID leaf 0), as
    /// cpuinfo does for libtorch; <see cref="TorchBernoulliPath.PerElement"/> otherwise.
    /// </summary>
    public static TorchBernoulliPath ThisCpu { get; } = CpuVendor == "GenuineIntel" ? TorchBernoulliPath.IntelMkl : TorchBernoulliPath.PerElement;

    /// <summary>The CPU's vendor string from CPUID leaf 0 (e.g. "AuthenticAMD", "GenuineIntel"); "unknown" off x86.</summary>
    public static string CpuVendor { get; } = ReadVendor();

    private static string ReadVendor()
    {
        if (!X86Base.IsSupported)
            return "unknown";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> text = stackalloc byte[12];
        BitConverter.TryWriteBytes(text, ebx);
        BitConverter.TryWriteBytes(text[4..], edx);
        BitConverter.TryWriteBytes(text[8..], ecx);
        return Encoding.ASCII.GetString(text);
    }
}
