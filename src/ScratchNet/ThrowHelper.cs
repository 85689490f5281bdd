using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet;

/// <summary>
/// The one place the core library throws argument errors from: they are programming errors, so
/// <see cref="ArgumentException"/>s (a wrong length, shape or structure) or <see cref="ArgumentOutOfRangeException"/>s
/// (a number outside its range). A user's mistake is a <see cref="DataException"/> or <see cref="UsageException"/> with
/// its fix instead. Every message names the argument, the valid range and the value found.
/// </summary>
[StackTraceHidden]
internal static class ThrowHelper
{
    // ---- numbers ----

    public static void IfNegative(int value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0, but was {value}.");
    }

    public static void IfLessThanOne(int value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, but was {value}.");
    }

    /// <summary><paramref name="value"/> is an index (a row, a label, a class) in [0, <paramref name="count"/>).</summary>
    public static void IfOutOfRange(int value, int count, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if ((uint)value >= (uint)count)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in 0..{count - 1}, but was {value}.");
    }

    public static void IfNotFiniteOrNegative(double value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0, but was {value}.");
    }

    // ---- lengths and shapes ----

    public static void IfLengthNot(long actual, long expected, string name)
    {
        if (actual != expected)
            Invalid($"{name} has length {actual}; expected exactly {expected}.", name);
    }

    /// <summary>As above, naming the shape the length comes from (<c>"n×d"</c>).</summary>
    public static void IfLengthNot(long actual, long expected, string shape, string name)
    {
        if (actual != expected)
            Invalid($"{name} has length {actual}; expected exactly {shape} = {expected}.", name);
    }

    public static void IfShorter(int actual, int minimum, string name)
    {
        if (actual < minimum)
            Invalid($"{name} has length {actual}, but must hold at least {minimum}.", name);
    }

    public static void IfNotMultiple(int length, int cols, string name)
    {
        if (cols <= 0)
            Invalid($"the row length must be > 0, but was {cols}.", name);
        if (length % cols != 0)
            Invalid($"{name} has length {length}, which is not a whole number of rows of {cols}.", name);
    }

    /// <summary>Calculus: <paramref name="z"/> holds K ≥ 1 values and the other vector has K too.</summary>
    public static void IfEmptyOrLengthsDiffer(ReadOnlySpan<double> z, int otherLength)
    {
        if (z.Length == 0)
            Invalid("z must hold at least 1 value (K ≥ 1), but is empty.", "z");
        if (otherLength != z.Length)
            Invalid($"Every vector must have z's length K = {z.Length}, but one has {otherLength}.", "z");
    }

    /// <summary>Calculus: the class <paramref name="y"/> of K = <paramref name="classes"/> ≥ 1.</summary>
    public static void IfClassOutOfRange(int y, int classes)
    {
        if (classes == 0)
            Invalid("z must hold at least 1 value (K ≥ 1), but is empty.", "z");
        if (y < 0 || y >= classes)
            throw new ArgumentOutOfRangeException(nameof(y), y, $"The class y must be in 0..{classes - 1} (K = {classes}).");
    }

    // ---- structure ----

    /// <summary>Each row index in [0, rowCount) and greater than the one before it.</summary>
    public static void IfRowsNotIncreasing(ReadOnlySpan<int> rows, int rowCount, string name)
    {
        // The per-example step checks ~800 indices per call: eight neighbour pairs per compare, and the loop that
        // names the first bad index only when something is wrong. Strictly increasing from ≥ 0 to < rowCount is all in range.
        if (rows.IsEmpty)
            return;
        if (rows[0] >= 0 && rows[^1] < rowCount && StrictlyIncreasing(rows))
            return;
        int previous = -1;
        for (int k = 0; k < rows.Length; k++)
        {
            if (rows[k] <= previous || rows[k] >= rowCount)
                Invalid($"{name}[{k}] is {rows[k]}, but row indices must increase strictly and lie in [0, {rowCount}).", name);
            previous = rows[k];
        }
    }

    private static bool StrictlyIncreasing(ReadOnlySpan<int> rows)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Vector256<int>.Count < rows.Length; k += Vector256<int>.Count)
            {
                if (!Vector256.GreaterThanAll(Vector256.Create(rows.Slice(k + 1, Vector256<int>.Count)), Vector256.Create(rows.Slice(k, Vector256<int>.Count))))
                    return false;
            }
        }
        for (; k + 1 < rows.Length; k++)
        {
            if (rows[k + 1] <= rows[k])
                return false;
        }
        return true;
    }

    public static void IfOverlaps<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> destination, string inputName)
    {
        if (input.Overlaps(destination))
            Invalid($"the destination overlaps {inputName}; pass a separate buffer.", "destination");
    }

    public static void IfPartialOverlap<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> destination, string inputName)
    {
        if (input.Overlaps(destination, out int offset) && (offset != 0 || input.Length != destination.Length))
            Invalid($"the destination partly overlaps {inputName}; pass the same span (in place) or a separate buffer.", "destination");
    }

    /// <summary>A square matrix equal to its transpose up to rounding (1e-12 relative).</summary>
    public static void IfNotSymmetric(ReadOnlySpan<double> a, int n, [CallerArgumentExpression(nameof(a))] string name = "")
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                double upper = a[(i * n) + j], lower = a[(j * n) + i];
                var scale = Math.Max(1.0, Math.Max(Math.Abs(upper), Math.Abs(lower)));
                if (!(Math.Abs(upper - lower) <= 1e-12 * scale))
                    Invalid($"{name} must be symmetric, but {name}[{i},{j}] = {upper} and {name}[{j},{i}] = {lower}.", name);
            }
        }
    }

    /// <summary>Throws <paramref name="message"/>: a structural invariant (a length, an index, an ordering) is broken.</summary>
    [DoesNotReturn]
    public static void Invalid(string message, string name) => throw new ArgumentException(message, name);
}
