using System.CommandLine;

namespace ScratchNet.Cli.Commands;

/// <summary>The top-level commands, in the order `--help` lists them. One file per command.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield return DataCommand.Create();
        yield return CalculusCommand.Create();
        yield return RegressCommand.Create();
        yield return ClassifyCommand.Create();
        yield return ReproduceCommand.Create();
        yield return SweepCommand.Create();
        yield return ReportCommand.Create();
        yield return ExportCommand.Create();
        yield return PredictCommand.Create();
        yield return BenchCommand.Create();
        yield return VersionCommand.Create();
    }
}
