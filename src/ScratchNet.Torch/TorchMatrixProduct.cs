using TorchSharp;

namespace ScratchNet.Torch;

/// <summary>
/// A float32 n × n matrix product C = A·B on libtorch (MKL/oneDNN inside it), on one thread: the reference the benchmark
/// measures ScratchNet's GEMM against. The inputs are copied to libtorch once; <see cref="Multiply"/> is the timed part.
/// </summary>
public sealed class TorchMatrixProduct : IDisposable
{
    private readonly torch.Tensor _a, _b;

    public TorchMatrixProduct(float[] a, float[] b, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        TorchEngine.SetThreads(1);
        _a = torch.tensor(a, [size, size]);
        _b = torch.tensor(b, [size, size]);
    }

    public void Multiply() => torch.mm(_a, _b).Dispose();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
