using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace ScratchNet.Calculus;

/// <summary>The argument checks of the calculus functions; each message states the valid range.</summary>
[StackTraceHidden]
internal static class CalculusThrow
{
    public static void IfEmptyOrLengthsDiffer(ReadOnlySpan<double> z, int otherLength)
    {
        if (z.Length == 0)
            Throw("z must hold at least 1 value (K ≥ 1), but is empty.", "z");
        if (otherLength != z.Length)
            Throw($"Every vector must have z's length K = {z.Length}, but one has {otherLength}.", "z");
    }

    public static void IfLengthIsNot(int length, int expected, string shape, string name)
    {
        if (length != expected)
            Throw($"{name} must hold {shape} = {expected} values, but holds {length}.", name);
    }

    public static void IfClassOutOfRange(int y, int classes)
    {
        if (classes == 0)
            Throw("z must hold at least 1 value (K ≥ 1), but is empty.", "z");
        if (y < 0 || y >= classes)
            throw new ArgumentOutOfRangeException(nameof(y), y, $"The class y must be in 0..{classes - 1} (K = {classes}).");
    }

    [DoesNotReturn]
    private static void Throw(string message, string name) => throw new ArgumentException(message, name);
}
