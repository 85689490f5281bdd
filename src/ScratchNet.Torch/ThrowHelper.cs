using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace ScratchNet.Torch;

[StackTraceHidden]
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void OutOfRange<T>(string name, T actual, string valid) =>
        throw new ArgumentException($"{name} is {actual}; valid: {valid}.", name);

    [DoesNotReturn]
    public static void LengthMismatch(string name, long actual, long expected, string because) =>
        throw new ArgumentException($"{name} has {actual} elements; expected {expected} ({because}).", name);
}
