using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using ScratchNet.Cli.Commands;
using ScratchNet.Cli.Options;

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
        root.Options.Add(new HelpOption().WithExamples());
        root.Options.Add(new VersionOption());
        return root;
    }

    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = stdout ?? Console.Out;
        var error = stderr ?? Console.Error;
        var root = BuildRoot();
        // No arguments at all asks what the program does: the help, exit 0, as `--help` (nothing was typed wrong).
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0 && !HelpExamples.IsHelp(parse))
        {
            foreach (var message in ErrorLines(parse))
                error.WriteLine($"scratchnet: error: {message}");
            error.WriteLine($"Run '{HelpExamples.CommandPath(parse)} --help' for the valid commands and options.");
            return ExitCodes.Usage;
        }

        try
        {
            var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return parse.Invoke(config);
        }
        catch (ScratchNetException e)
        {
            error.WriteLine($"scratchnet: error: {SettingFlags.Message(e)}");
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
            error.WriteLine($"scratchnet: error: could not write output: {fault.Cause} ({e.Message.ReplaceLineEndings(" ")}); {SettingFlags.Render(fault.FixTemplate)}.");
            return ExitCodes.CannotWrite;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug: exit 1 with the stack trace (unhandled, the runtime would abort with 134).
            error.WriteLine($"scratchnet: internal error (a bug; please report it with this output): {e}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// The parse errors as a person should read them: an unknown name gets the closest valid one ("Did you mean
    /// '--epochs'?"); the value after an unknown option is not reported again; "Required command was not provided" is
    /// dropped next to a more specific error.
    /// </summary>
    private static IEnumerable<string> ErrorLines(ParseResult parse)
    {
        var errors = parse.Errors.Count > 1
            ? parse.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)).ToList()
            : [.. parse.Errors];
        var unmatched = parse.UnmatchedTokens;
        var names = Suggestions.Names(parse.CommandResult.Command, parse.CommandResult).ToList();
        var wrongCommand = false;
        foreach (var message in errors.Select(e => e.Message))
        {
            var token = unmatched.FirstOrDefault(t => message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is null)
            {
                yield return message;
                continue;
            }
            // `clasify mlp`: after a mistyped command, the rest of the line is its arguments, not more mistakes.
            if (wrongCommand)
                continue;
            wrongCommand = !token.StartsWith('-') && parse.CommandResult.Command.Subcommands.Count > 0;
            // `--epoch 3`: the 3 belonged to the unknown option.
            var index = IndexOf(parse, token);
            if (!token.StartsWith('-') && index > 0 && parse.Tokens[index - 1].Value.StartsWith('-') && unmatched.Contains(parse.Tokens[index - 1].Value))
                continue;
            yield return Suggestions.Closest(token, names) is { } near ? $"{message} Did you mean '{near}'?" : message;
        }
    }

    private static int IndexOf(ParseResult parse, string token)
    {
        for (var i = 0; i < parse.Tokens.Count; i++)
        {
            if (parse.Tokens[i].Value == token && parse.Tokens[i].Type != TokenType.Command && parse.Tokens[i].Type != TokenType.Option)
                return i;
        }
        return -1;
    }
}
