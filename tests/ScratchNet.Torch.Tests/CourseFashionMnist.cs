using ScratchNet.Data;

namespace ScratchNet.Torch.Tests;

/// <summary>
/// Fashion-MNIST as the course split it, read once per test class by the data layer from the Debian package's folder
/// (a missing package fails the test with the data layer's message naming what to install).
/// </summary>
public sealed class CourseFashionMnist
{
    private readonly Lazy<FashionMnist> _data = new(() => FashionMnist.Load(FashionMnistFiles.SystemDirectory));

    public FashionMnist Data => _data.Value;
}
