namespace ScratchNet.Tests.Reliability;

/// <summary>Reads back what a training run prints: its configuration block (name → value) and its epoch lines.</summary>
internal static class PrintedConfiguration
{
    /// <summary>The lines after <c>configuration:</c> up to the first that is not indented, as name → value.</summary>
    public static IReadOnlyDictionary<string, string> Read(string output)
    {
        var lines = Block(output);
        Assert.True(lines.Count > 0, $"no configuration block in:\n{output}");
        return lines.ToDictionary(line => line.Trim().Split(' ')[0], line => line.Trim()[line.Trim().IndexOf(' ', StringComparison.Ordinal)..].Trim());
    }

    /// <summary>The block's lines as printed, indentation included.</summary>
    public static IReadOnlyList<string> Block(string output) =>
        [.. Lines(output).SkipWhile(line => line != "configuration:").Skip(1).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))];

    /// <summary>Every line from the first epoch line on.</summary>
    public static IReadOnlyList<string> EpochLines(string output) =>
        [.. Lines(output).SkipWhile(line => !line.StartsWith("epoch ", StringComparison.Ordinal))];

    private static string[] Lines(string output) => output.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
