using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace ScratchNet.Tensors;

/// <summary>The one place the tensor kernels throw from; every message states the valid range.</summary>
[StackTraceHidden]
internal static class TensorThrow
{
    public static void IfNegative(int value, string name)
    {
        if (value < 0)
            Throw($"{name} must be >= 0, but was {value}.", name);
    }

    public static void IfLengthNot(int actual, long expected, string name)
    {
        if (actual != expected)
            Throw($"{name} has length {actual}, but the shapes require exactly {expected}.", name);
    }

    public static void IfShorter(int actual, int minimum, string name)
    {
        if (actual < minimum)
            Throw($"{name} has length {actual}, but must hold at least {minimum}.", name);
    }

    /// <summary>Each row index in [0, rowCount) and greater than the one before it.</summary>
    public static void IfRowsNotIncreasing(ReadOnlySpan<int> rows, int rowCount, string name)
    {
        int previous = -1;
        for (int k = 0; k < rows.Length; k++)
        {
            if (rows[k] <= previous || rows[k] >= rowCount)
                Throw($"{name}[{k}] is {rows[k]}, but row indices must increase strictly and lie in [0, {rowCount}).", name);
            previous = rows[k];
        }
    }

    public static void IfNotMultiple(int length, int cols, string name)
    {
        if (cols <= 0)
            Throw($"the row length must be > 0, but was {cols}.", name);
        if (length % cols != 0)
            Throw($"{name} has length {length}, which is not a whole number of rows of {cols}.", name);
    }

    public static void IfOverlaps<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> destination, string inputName)
    {
        if (input.Overlaps(destination))
            Throw($"the destination overlaps {inputName}; pass a separate buffer.", "destination");
    }

    public static void IfPartialOverlap<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> destination, string inputName)
    {
        if (input.Overlaps(destination, out int offset) && (offset != 0 || input.Length != destination.Length))
            Throw($"the destination partly overlaps {inputName}; pass the same span (in place) or a separate buffer.",
                "destination");
    }

    public static void IfThreadsInvalid(int maxThreads)
    {
        if (maxThreads < 1)
            Throw($"maxThreads must be >= 1, but was {maxThreads}.", nameof(maxThreads));
    }

    /// <summary>Throws <paramref name="message"/>: a structural invariant (an index, an ordering) is broken.</summary>
    [DoesNotReturn]
    public static void Invalid(string message, string name) => Throw(message, name);

    [DoesNotReturn]
    private static void Throw(string message, string name) => throw new ArgumentException(message, name);
}
