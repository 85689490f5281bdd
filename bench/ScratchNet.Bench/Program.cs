using System.Globalization;
using BenchmarkDotNet.Running;
using ScratchNet.Bench;

// `-- quick [threads]`: a fast GEMM check against OpenBLAS; `-- profile`: the scratch epoch's sub-steps (EpochProfile);
// `-- batch-profile`: one mini-batch step's sub-steps at batch 16, 64 and 256 (BatchProfile);
// `-- split-profile`: the per-example step on one thread vs the two-thread column split (SplitProfile);
// `-- adam-profile`: per-example Adam, dense vs the lazy first layer, and its floors (AdamProfile);
// anything else goes to BenchmarkDotNet (e.g. `-- --filter '*Gemm*' --job short`). The end-to-end epoch table is
// `./scratchnet bench` (src/ScratchNet.Benchmarking), which replaced this project's `epochs` mode.
if (args.Length > 0 && args[0] == "epochs")
{
    Console.Error.WriteLine("scratchnet-bench: the epoch table moved to the CLI: run ./scratchnet bench (./scratchnet bench --help for its options).");
    return ScratchNet.ExitCodes.Usage;
}
if (args.Length > 0 && args[0] is "profile" or "batch-profile" or "split-profile" or "adam-profile")
{
    try
    {
        return args[0] switch
        {
            "profile" => EpochProfile.Run(args),
            "batch-profile" => BatchProfile.Run(args),
            "adam-profile" => AdamProfile.Run(args),
            _ => SplitProfile.Run(args),
        };
    }
    catch (ScratchNet.ScratchNetException error)
    {
        Console.Error.WriteLine($"scratchnet-bench: {error.Message}");
        return error.ExitCode;
    }
}
if (!OpenBlas.IsAvailable)
{
    Console.Error.WriteLine($"scratchnet-bench: {OpenBlas.InstallHint}");
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
