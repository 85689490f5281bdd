namespace ScratchNet;

/// <summary>
/// How the core's messages name what the user should give or do that is not a training setting (those are
/// <c>Runs.SettingNames</c>): the data locations, the output folder, resuming, overwriting. A message is written as a
/// template with a <c>{Key}</c> placeholder per term; the core's own text names the quantity or the action
/// (<see cref="Quantities"/>: "the Fashion-MNIST folder", "choose another output folder"), and a front end renders the
/// same template (<see cref="ScratchNetException.Template"/>) with its own names: the CLI with its flags ("--fashion-mnist",
/// "choose another --out"). Each key is listed here once, and the CLI maps each to its flag in one place.
/// </summary>
public static class MessageTerms
{
    /// <summary>Template key → the term as the core's messages name it. The key says what the term is; a template
    /// reads right with either rendering ("{Out} X is not empty" → "The output folder X …" / "--out X …").</summary>
    public static IReadOnlyDictionary<string, string> Quantities { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["FashionMnist"] = "the Fashion-MNIST folder",
        ["Ames"] = "the Ames Housing file",
        ["DataDir"] = "the data folder",
        ["Out"] = "the output folder",
        ["AnotherOut"] = "another output folder",
        ["NewOut"] = "a new output folder",
        ["Resume"] = "resume",
        ["WithResume"] = "by resuming",
        ["StartAfresh"] = "start the run afresh",
        ["ExtendTo"] = "with more epochs",
        ["WithOverwrite"] = "by overwriting",
        ["Runs"] = "the runs folder",
        ["SkipBad"] = "skipBad",
        ["SmallerLearningRate"] = "a smaller learning rate",
    };

    /// <summary>The term <paramref name="key"/> as the core names it; null for a key that is not a term.</summary>
    public static string? Quantity(string key) => Quantities.GetValueOrDefault(key);

    /// <summary><paramref name="template"/> with its terms named as the core names them.</summary>
    public static string Message(string template) => Render(template, Quantity);

    /// <summary>A <see cref="DataException"/> whose message names the terms of <paramref name="template"/> as quantities.</summary>
    public static DataException DataError(string template, Exception? inner = null) =>
        new(Message(template), inner) { Template = template };

    /// <summary>A <see cref="UsageException"/> whose message names the terms of <paramref name="template"/> as quantities.</summary>
    public static UsageException UsageError(string template, Exception? inner = null) =>
        inner is null ? new(Message(template)) { Template = template } : new(Message(template), inner) { Template = template };

    /// <summary>
    /// <paramref name="template"/> with each <c>{Key}</c> placeholder replaced by <paramref name="name"/>(Key); a
    /// placeholder it does not know (null) stays as written (user text such as a path may hold braces). A message that
    /// starts with a term starts with a capital ("{Out} X …" → "The output folder X …"; "--out X …" stays).
    /// </summary>
    public static string Render(string template, Func<string, string?> name)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(name);
        var text = new System.Text.StringBuilder();
        var at = 0;
        while (template.IndexOf('{', at) is var open and >= 0 && template.IndexOf('}', open) is var close and > 0)
        {
            text.Append(template, at, open - at).Append(name(template[(open + 1)..close]) ?? template[open..(close + 1)]);
            at = close + 1;
        }
        var rendered = text.Append(template, at, template.Length - at).ToString();
        var startsWithTerm = template.StartsWith('{') && rendered.Length > 0 && char.IsAsciiLetterLower(rendered[0]);
        return startsWithTerm || rendered.StartsWith("the ", StringComparison.Ordinal) ? char.ToUpperInvariant(rendered[0]) + rendered[1..] : rendered;
    }
}
