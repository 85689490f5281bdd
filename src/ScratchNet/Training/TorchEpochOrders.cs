using ScratchNet.Randomness;

namespace ScratchNet.Training;

/// <summary>
/// Epoch orders on libtorch's stream: each epoch is DataLoader(shuffle=True)'s <c>randperm(n)</c>, drawn from the run's
/// global <see cref="TorchGenerator"/> (which also drew the initial weights and draws the dropout masks). Orders do not
/// compound. Replaying a finished epoch also skips the <paramref name="dropoutDrawsPerEpoch"/> 32-bit outputs its
/// dropout masks took, so a resumed run continues the uninterrupted run's stream.
/// </summary>
public sealed class TorchEpochOrders(TorchGenerator generator, long dropoutDrawsPerEpoch) : IEpochOrders
{
    public TorchGenerator Generator => generator;

    public int[] NextOrder(int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return generator.NextEpochOrder(order.Length);
    }

    public int[] ReplayEpoch(int[] order)
    {
        var next = NextOrder(order);
        generator.Discard(dropoutDrawsPerEpoch);
        return next;
    }
}
