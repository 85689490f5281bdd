using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors.Internals;

/// <summary>A kernel written once over the vector width; <see cref="SimdWidth.Run{T, TKernel}"/> picks the width.</summary>
internal interface IWidthKernel<T> where T : unmanaged
{
    void Run<TVec, TSimd>() where TVec : struct where TSimd : ISimd<T, TVec>;
}

/// <summary>The one vector-width dispatcher: which width the hardware runs best, and the switch to it.</summary>
internal static class SimdWidth
{
    /// <summary>The widest vector size (bits) the hardware accelerates for T: 512, 256 or 128. It chooses only how
    /// fast a kernel runs, never its result.</summary>
    public static int HardwareBits<T>() where T : unmanaged
        => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported ? 512
            : Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? 256
            : 128;

    /// <summary>Runs <paramref name="kernel"/> at <paramref name="bits"/> (512, 256 or 128; tests run every width,
    /// wider ones emulated by the runtime where the hardware lacks them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TKernel>(ref TKernel kernel, int bits)
        where T : unmanaged
        where TKernel : IWidthKernel<T>, allows ref struct
    {
        if (bits == 512)
            kernel.Run<Vector512<T>, Simd512<T>>();
        else if (bits == 256)
            kernel.Run<Vector256<T>, Simd256<T>>();
        else
            kernel.Run<Vector128<T>, Simd128<T>>();
    }
}

/// <summary>
/// The handful of vector operations the kernels need, so each kernel is written once and specialised by the JIT for
/// each hardware width (<see cref="Simd128{T}"/>, <see cref="Simd256{T}"/>, <see cref="Simd512{T}"/>), chosen in one
/// place (<see cref="SimdWidth"/>). Every operation is lane-wise and exactly rounded, so a kernel whose every output
/// element sees the same operations in the same order gives the same bits at every width (docs/kernels.md).
/// </summary>
internal unsafe interface ISimd<T, TVec>
    where T : unmanaged
    where TVec : struct
{
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Load(T* source);
    static abstract void Store(TVec value, T* destination);
    static abstract TVec Broadcast(T value);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract T Sum(TVec value);
    /// <summary>a · b + addend rounded once (fused) on every machine: the FMA instruction where the hardware has it
    /// (every x86-64 with AVX2, every arm64), an exact software fallback where it has not (correct but far slower;
    /// see docs/kernels.md). Never "fused only where available": that would make the bits depend on the CPU.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec addend);
}

internal readonly unsafe struct Simd128<T> : ISimd<T, Vector128<T>> where T : unmanaged
{
    public static int Count => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, T* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}

internal readonly unsafe struct Simd256<T> : ISimd<T, Vector256<T>> where T : unmanaged
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, T* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}

internal readonly unsafe struct Simd512<T> : ISimd<T, Vector512<T>> where T : unmanaged
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, T* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}
