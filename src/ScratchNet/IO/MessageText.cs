using System.Globalization;
using System.Text;

namespace ScratchNet.IO;

/// <summary>
/// Makes text taken from a damaged file safe to quote in a one-line error message: control and line-break characters
/// become <c>\xNN</c> / <c>\uNNNN</c> escapes and long text is cut.
/// </summary>
internal static class MessageText
{
    public static string Printable(string text, int maxLength = 120)
    {
        var cut = text.Length > maxLength;
        var shown = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        var result = new StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                result.Append(c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
            else
                result.Append(c);
        }
        return cut ? result.Append('…').ToString() : result.ToString();
    }
}
