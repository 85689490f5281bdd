using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using ScratchNet.Randomness;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet version`: the version of ScratchNet and of the runtime it runs on.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the ScratchNet, .NET and OS versions.");
        command.SetAction(parse =>
        {
            var version = typeof(ScratchNetException).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            parse.InvocationConfiguration.Output.WriteLine($"scratchnet {version}");
            parse.InvocationConfiguration.Output.WriteLine($"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} cores)");
            // the one thing about this machine that changes a result: which way libtorch draws Dropout's masks
            var here = RandomStreams.TorchEngineHere;
            parse.InvocationConfiguration.Output.WriteLine($"CPU vendor {TorchBernoulliPaths.CpuVendor}: the torch engine draws dropout masks " +
                (here == RandomStream.TorchMkl ? "through MKL" : "element by element") + $" here (--stream {here.Text()})");
            return 0;
        });
        return command;
    }
}
