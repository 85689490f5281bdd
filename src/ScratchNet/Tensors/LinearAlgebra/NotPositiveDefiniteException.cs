namespace ScratchNet.Tensors.LinearAlgebra;

/// <summary>
/// Cholesky met a pivot that is not positive: the matrix is not (numerically) symmetric positive definite.
/// For ridge regression this means XᵀX + λI is singular to working precision, and a larger λ is the fix.
/// </summary>
public sealed class NotPositiveDefiniteException : ScratchNetException
{
    public NotPositiveDefiniteException(int pivotIndex, double pivotValue, int size)
        : base($"The matrix is not positive definite: Cholesky pivot {pivotIndex} (of 0..{size - 1}) is {pivotValue:G6}, " +
               "but every pivot must be > 0. If the matrix is XᵀX + λI (ridge regression), use a larger ridge λ " +
               "(e.g. 10× the current one).", ExitCodes.Usage)
    {
        PivotIndex = pivotIndex;
        PivotValue = pivotValue;
    }

    public NotPositiveDefiniteException() : this(0, double.NaN, 1) { }

    public NotPositiveDefiniteException(string message) : base(message, ExitCodes.Usage) { }

    public NotPositiveDefiniteException(string message, Exception inner) : base(message, ExitCodes.Usage, inner) { }

    /// <summary>The row/column at which the factorisation broke down.</summary>
    public int PivotIndex { get; }

    /// <summary>The value A[k,k] − Σⱼ L[k,j]² that should have been positive.</summary>
    public double PivotValue { get; }
}
