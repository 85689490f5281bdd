using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors.LinearAlgebra;

/// <summary>The argument checks of the dense linear-algebra routines; each message states the valid range.</summary>
[StackTraceHidden]
internal static class LinearAlgebraThrow
{
    public static void IfNegativeOrZero(int value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value <= 0)
            Throw($"{name} must be at least 1, but is {value}.", name);
    }

    public static void IfNegative(int value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < 0)
            Throw($"{name} must be 0 or more, but is {value}.", name);
    }

    public static void IfLengthIsNot(int length, long expected, string shape, [CallerArgumentExpression(nameof(length))] string name = "")
    {
        if (length != expected)
            Throw($"{name} must hold {shape} = {expected} values, but holds {length}.", name);
    }

    public static void IfNotFiniteOrNegative(double value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!double.IsFinite(value) || value < 0)
            Throw($"{name} must be a finite number ≥ 0, but is {value}.", name);
    }

    public static void IfNotSymmetric(ReadOnlySpan<double> a, int n, [CallerArgumentExpression(nameof(a))] string name = "")
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                double upper = a[(i * n) + j], lower = a[(j * n) + i];
                var scale = Math.Max(1.0, Math.Max(Math.Abs(upper), Math.Abs(lower)));
                if (!(Math.Abs(upper - lower) <= 1e-12 * scale))
                    Throw($"{name} must be symmetric, but {name}[{i},{j}] = {upper} and {name}[{j},{i}] = {lower}.", name);
            }
        }
    }

    [DoesNotReturn]
    private static void Throw(string message, string name) => throw new ArgumentException(message, name);
}
