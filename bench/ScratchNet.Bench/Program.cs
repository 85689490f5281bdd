using System.Globalization;
using BenchmarkDotNet.Running;
using ScratchNet.Bench;

// `-- quick [threads]`: a fast GEMM check against OpenBLAS; `-- epochs [options]`: the end-to-end epoch table (see
// QuickEpochs); `-- profile`: its scratch sub-steps (EpochProfile); anything else goes to BenchmarkDotNet (e.g. `-- --filter '*Gemm*' --job short`).
if (args.Length > 0 && args[0] is "epochs" or "profile")
{
    try
    {
        return args[0] == "epochs" ? QuickEpochs.Run(args) : EpochProfile.Run(args);
    }
    catch (ScratchNet.ScratchNetException error)
    {
        Console.Error.WriteLine($"scratchnet-bench: {error.Message}");
        return error.ExitCode;
    }
}
try
{
    OpenBlas.EnsureAvailable();
}
catch (InvalidOperationException missing)
{
    Console.Error.WriteLine($"scratchnet-bench: {missing.Message}");
    if (args.Length > 0 && args[0] == "quick")
        return 1;
    Console.Error.WriteLine("scratchnet-bench: the OpenBLAS baselines will fail; the ScratchNet benchmarks still run.");
}

if (args.Length > 0 && args[0] == "quick")
{
    QuickGemm.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(QuickGemm).Assembly).Run(args);
return 0;
