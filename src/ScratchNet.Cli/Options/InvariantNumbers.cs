using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ScratchNet.Cli.Options;

/// <summary>
/// Numeric options parse in the invariant culture (a <c>.</c> is the decimal point whatever the locale), and a bad value
/// is named in words (<c>--epochs 'many' is not an integer.</c>), never as a .NET type.
/// </summary>
internal static class InvariantNumbers
{
    private delegate bool TryParse<T>(string text, out T value);

    public static Option<int> Integer(this Option<int> option)
    {
        option.CustomParser = result => Parse(result, "an integer", (string text, out int value) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));
        return option;
    }

    public static Option<int?> Integer(this Option<int?> option)
    {
        option.CustomParser = result => Parse(result, "an integer", (string text, out int? value) =>
            (value = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null) is not null);
        return option;
    }

    public static Option<double?> Number(this Option<double?> option)
    {
        option.CustomParser = result => Parse(result, "a number", (string text, out double? value) =>
            (value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null) is not null);
        return option;
    }

    private static T Parse<T>(ArgumentResult result, string expected, TryParse<T> parse)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (parse(text, out var value))
            return value;
        var option = (result.Parent as OptionResult)?.Option.Name ?? "option";
        result.AddError($"{option} '{text}' is not {expected}.");
        return default!;
    }
}
