namespace ScratchNet.Cli;

/// <summary>
/// A hidden entry for tests, not a command: <c>ScratchNet.Cli.dll --run-list FILE</c> runs each line of FILE (the
/// arguments of one command, separated by tabs) in this one process, one after the other, as
/// <see cref="CliApp.Run"/> would in its own. It saves a process start, a JIT warm-up and a runtime per run where a
/// test runs many short commands under one runtime setting (MachineIndependenceTests). Exits with the first non-zero
/// exit code, after running every line.
/// </summary>
internal static class RunList
{
    public const string Flag = "--run-list";

    public static bool IsRequested(string[] args) => args.Length == 2 && args[0] == Flag;

    public static int Run(string file)
    {
        int result = 0;
        foreach (var line in File.ReadAllLines(file).Where(line => line.Length > 0))
        {
            int exit = CliApp.Run(line.Split('\t'));
            Console.Out.WriteLine($"run-list: exit {exit}: {line.Replace('\t', ' ')}");
            if (result == 0)
                result = exit;
        }
        return result;
    }
}
