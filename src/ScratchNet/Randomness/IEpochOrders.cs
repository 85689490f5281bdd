namespace ScratchNet.Randomness;

/// <summary>
/// The order of the training examples epoch after epoch, drawn from a run's random stream: numpy's (the course's
/// <c>X = X[permutation(n)]</c>, compounding) or libtorch's (DataLoader(shuffle=True), a fresh <c>randperm</c> per epoch).
/// </summary>
public interface IEpochOrders
{
    /// <summary>The next epoch's order, given the current one (the identity before the first epoch).</summary>
    int[] NextOrder(int[] order);

    /// <summary>
    /// Replays an epoch a resumed run already trained: its order, and every other draw the epoch made from the same
    /// stream (libtorch's dropout masks), so the stream stands where the uninterrupted run's stood.
    /// </summary>
    int[] ReplayEpoch(int[] order);
}
