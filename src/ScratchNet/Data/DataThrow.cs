using System.Diagnostics;

namespace ScratchNet.Data;

/// <summary>Argument checks of the data types: programming errors, so <see cref="ArgumentException"/>s.</summary>
[StackTraceHidden]
internal static class DataThrow
{
    public static void IfLengthMismatch(string name, long actual, long expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements; expected {expected}.", name);
    }

    public static void IfOutOfRange(string name, int value, int count)
    {
        if ((uint)value >= (uint)count)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, {count - 1}].");
    }

    public static void IfNotPositive(string name, int value)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }
}
