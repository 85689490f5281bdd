using BenchmarkDotNet.Running;
using ScratchNet.Bench;

if (args.Length > 0 && args[0] == "quick")
{
    QuickGemm.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(QuickGemm).Assembly).Run(args);
