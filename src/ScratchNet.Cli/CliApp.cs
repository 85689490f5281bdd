using System.CommandLine;
using System.CommandLine.Help;
using ScratchNet.Cli.Commands;

namespace ScratchNet.Cli;

/// <summary>Builds the `scratchnet` command tree and maps errors to exit codes (see <see cref="ExitCodes"/>).</summary>
public static class CliApp
{
    public static Command BuildRoot()
    {
        // A plain Command named "scratchnet" (a RootCommand would take the assembly's file name).
        var root = new Command("scratchnet",
            "ScratchNet: the deep-learning homework report (Ames regression, Fashion-MNIST classification) " +
            "rebuilt in C#, from first principles and on TorchSharp.");
        // Each command lives in its own file under Commands/.
        foreach (var command in CommandRegistry.All())
            root.Subcommands.Add(command);
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        return root;
    }

    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = stdout ?? Console.Out;
        var error = stderr ?? Console.Error;
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // "Required command was not provided" only adds noise next to a more specific error.
            var errors = parse.Errors.Count > 1
                ? parse.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal))
                : parse.Errors;
            foreach (var parseError in errors)
                error.WriteLine($"scratchnet: error: {parseError.Message}");
            error.WriteLine($"Run '{CommandPath(parse)} --help' for the valid commands and options.");
            return ExitCodes.Usage;
        }

        try
        {
            var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return parse.Invoke(config);
        }
        catch (ScratchNetException e)
        {
            error.WriteLine($"scratchnet: error: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("scratchnet: interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (IOException e) when (e.HResult is 28 or 122 or 30) // ENOSPC, EDQUOT, EROFS: faults only a write meets
        {
            // A full or read-only disk met by a writer without its own message (sweep.csv, bench results): still one line.
            var fault = ScratchNet.IO.OutputWriteException.For("output", e);
            error.WriteLine($"scratchnet: error: could not write output: {fault.Cause} ({e.Message.ReplaceLineEndings(" ")}); {fault.Fix}.");
            return ExitCodes.CannotWrite;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug: exit 1 with the stack trace (unhandled, the runtime would abort with 134).
            error.WriteLine($"scratchnet: internal error (a bug; please report it with this output): {e}");
            return ExitCodes.InternalError;
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
