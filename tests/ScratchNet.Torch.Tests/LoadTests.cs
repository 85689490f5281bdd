namespace ScratchNet.Torch.Tests;

public class LoadTests
{
    [Fact]
    public void Loads() => Assert.StartsWith("2.", TorchEngine.Version);
}
