using System.Reflection;
using static TorchSharp.torch;

namespace ScratchNet.Torch.Tests;

/// <summary>The real proof of build/TorchSharpGlibcxx.targets: libtorch loads and computes in this test host.</summary>
public class NativeLoadTests
{
    private const string Glibcxx = "GLIBCXX_3.4.32";

    [Fact]
    public void TorchSharp_loads_libtorch_2_10_and_computes()
    {
        Assert.StartsWith("2.10", TorchEngine.LibTorchVersion);
        using var product = tensor(new float[] { 1, 2, 3 }).dot(tensor(new float[] { 4, 5, 6 }));
        Assert.Equal(32f, product.item<float>());
    }

    [Fact]
    public void Output_copy_is_patched_exactly_when_the_system_libstdcxx_lacks_the_version_and_the_cache_copy_never_is()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"{output} is missing: the test project must set RuntimeIdentifier linux-x64 so natives are copied flat.");
        string libStdCxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        Assert.True(File.Exists(libStdCxx), $"{libStdCxx} not found; install libstdc++6.");
        bool systemHasVersion = ElfVersionNeeds.DefinesVersionString(File.ReadAllBytes(libStdCxx), Glibcxx);

        var outputNeed = Assert.Single(ElfVersionNeeds.Read(File.ReadAllBytes(output)), n => n.Version == Glibcxx);
        Assert.Equal(!systemHasVersion, outputNeed.IsWeak);
        Assert.Equal("libstdc++.so.6", outputNeed.File);

        string cacheCopy = Path.Combine(NuGetPackageRoot(), "torchsharp", TorchSharpVersion(), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(cacheCopy), $"{cacheCopy} not found (restore the solution first).");
        var cacheNeed = Assert.Single(ElfVersionNeeds.Read(File.ReadAllBytes(cacheCopy)), n => n.Version == Glibcxx);
        Assert.False(cacheNeed.IsWeak, "the NuGet cache copy must never be patched");
    }

    private static string NuGetPackageRoot() =>
        typeof(NativeLoadTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value
        ?? throw new InvalidOperationException("NuGetPackageRoot metadata is empty");

    private static string TorchSharpVersion() => typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3);
}
