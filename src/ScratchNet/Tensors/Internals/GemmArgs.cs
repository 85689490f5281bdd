namespace ScratchNet.Tensors.Internals;

/// <summary>
/// One GEMM call, C = α·op(A)·op(B) + β·C, with the transposes folded into strides:
/// op(A)(i, p) = A[i·RowStrideA + p·ColStrideA], op(B)(p, j) = B[p·RowStrideB + j·ColStrideB], C is M × N row-major.
/// </summary>
internal readonly unsafe struct GemmArgs<T> where T : unmanaged
{
    public required int M { get; init; }
    public required int N { get; init; }
    public required int K { get; init; }
    public required T Alpha { get; init; }
    public required T Beta { get; init; }
    public required T* A { get; init; }
    public required nint RowStrideA { get; init; }
    public required nint ColStrideA { get; init; }
    public required T* B { get; init; }
    public required nint RowStrideB { get; init; }
    public required nint ColStrideB { get; init; }
    public required T* C { get; init; }
}
