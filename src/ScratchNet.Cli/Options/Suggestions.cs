using System.CommandLine;
using System.CommandLine.Parsing;

namespace ScratchNet.Cli.Options;

/// <summary>
/// "Did you mean": the closest name among a command's options, subcommands or an argument's choices to what was typed
/// (<c>--epoch</c> → <c>--epochs</c>, <c>--batch_size</c> → <c>--batch-size</c>, <c>clasify</c> → <c>classify</c>), plus
/// the names people bring from other tools (<c>--learning-rate</c> → <c>--lr</c>).
/// </summary>
internal static class Suggestions
{
    // Names other tools use for an option that is spelled differently here.
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["learning-rate"] = "--lr", ["learningrate"] = "--lr", ["eta"] = "--lr", ["rate"] = "--lr",
        ["batch"] = "--batch-size", ["batchsize"] = "--batch-size", ["bs"] = "--batch-size",
        ["hidden-size"] = "--hidden", ["hiddensize"] = "--hidden", ["hidden-units"] = "--hidden", ["units"] = "--hidden",
        ["num-layers"] = "--layers", ["weight-decay"] = "--l2", ["output"] = "--out", ["output-dir"] = "--out",
        ["data"] = "--data-dir", ["datadir"] = "--data-dir", ["iterations"] = "--epochs", ["n-epochs"] = "--epochs",
        ["num-epochs"] = "--epochs", ["threads-count"] = "--threads", ["device"] = "--engine", ["backend"] = "--engine",
    };

    /// <summary>The candidate closest to <paramref name="typed"/>, or null when none is close enough to be a typo.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var names = candidates.Distinct(StringComparer.Ordinal).ToList();
        var key = Normal(typed);
        if (key.Length == 0)
            return null;
        if (Synonyms.TryGetValue(key, out var synonym) && names.Contains(synonym, StringComparer.Ordinal))
            return synonym;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in names)
        {
            var candidate = Normal(name);
            var distance = candidate == key ? 0 : Distance(key, candidate);
            // A typo is a few edits away; a prefix (--epoch, --batch) names the option it starts.
            var close = distance <= Math.Max(1, Math.Min(key.Length, candidate.Length) / 3)
                || (key.Length >= 3 && candidate.StartsWith(key, StringComparison.Ordinal));
            if (close && distance < bestDistance)
                (best, bestDistance) = (name, distance);
        }
        return best;
    }

    /// <summary>The names a person can type at <paramref name="command"/>: its options (and inherited ones) and subcommands.</summary>
    public static IEnumerable<string> Names(Command command, CommandResult? result)
    {
        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            yield return option.Name;
            foreach (var alias in option.Aliases)
                yield return alias;
        }
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            yield return sub.Name;
        for (var parent = result?.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            foreach (var option in parent.Command.Options.Where(o => o.Recursive && !o.Hidden))
                yield return option.Name;
        }
    }

    /// <summary>
    /// A case-insensitive choice (<c>MLP</c> is <c>mlp</c>): the value is the choice as listed, and anything else is an
    /// error listing the choices and naming the closest one.
    /// </summary>
    public static Argument<string> OneOf(this Argument<string> argument, params string[] choices)
    {
        argument.HelpName = string.Join('|', choices);
        argument.CompletionSources.Add(choices);
        argument.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return "";
            var text = result.Tokens[0].Value;
            if (choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } choice)
                return choice;
            var hint = Closest(text, choices) is { } near ? $" Did you mean '{near}'?" : "";
            result.AddError($"Argument '{text}' not recognized. Must be one of: {string.Join(' ', choices.Select(c => $"'{c}'"))}.{hint}");
            return "";
        };
        return argument;
    }

    // Lower case, no leading dashes, '_' as '-': --Batch_Size and batch-size compare equal.
    private static string Normal(string name) => name.TrimStart('-', '/').Replace('_', '-').ToLowerInvariant();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
