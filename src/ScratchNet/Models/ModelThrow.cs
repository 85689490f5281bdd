using System.Diagnostics.CodeAnalysis;
using System.Diagnostics;

namespace ScratchNet.Models;

/// <summary>The throw helpers of the models: messages name the argument, the expected and the found value.</summary>
[StackTraceHidden]
internal static class ModelThrow
{
    public static void IfLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected)
            Length(name, expected, span.Length);
    }

    public static void IfLength<T>(Span<T> span, int expected, string name)
    {
        if (span.Length != expected)
            Length(name, expected, span.Length);
    }

    public static void IfLabel(int label, int classes)
    {
        if ((uint)label >= (uint)classes)
            Label(label, classes);
    }

    [DoesNotReturn]
    private static void Length(string name, int expected, int found) =>
        throw new ArgumentException($"{name} has length {found}; expected exactly {expected}.", name);

    [DoesNotReturn]
    private static void Label(int label, int classes) =>
        throw new ArgumentOutOfRangeException(nameof(label), $"label {label} is outside the valid range 0..{classes - 1}.");
}
