using System.Diagnostics;
using ScratchNet.Randomness;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// The training loop. Each epoch's order comes from the run's stream (<see cref="IEpochOrders"/>): with numpy's, the
/// course's <c>permutation(n)</c> re-ordering the current order (<c>order = order[perm]</c>, so orders compound); with
/// libtorch's, DataLoader(shuffle=True)'s fresh <c>randperm</c>. Epochs already in <c>history</c> (a resumed run) are
/// replayed by drawing their orders (and the stream's other draws) again, which restores the stream and the order exactly.
/// </summary>
public static class Trainer
{
    public static TrainingOutcome Run(ILearner learner, IEpochOrders shuffle, int epochs, int batchSize,
        List<EpochMetrics> history, ITrainingObserver observer, CancellationToken cancellation)
    {
        var n = learner.TrainingCount;
        var order = Enumerable.Range(0, n).ToArray();
        for (var done = 0; done < history.Count; done++)
            order = shuffle.ReplayEpoch(order);
        for (var epoch = history.Count + 1; epoch <= epochs; epoch++)
        {
            order = shuffle.NextOrder(order);
            learner.BeginEpoch(epoch);
            double lossSum = 0, stepTicks = 0;
            for (var start = 0; start < n; start += batchSize)
            {
                if (cancellation.IsCancellationRequested)
                    return new(RunStatus.Interrupted);
                var began = Stopwatch.GetTimestamp();
                var loss = learner.TrainBatch(order.AsSpan(start, Math.Min(batchSize, n - start)));
                stepTicks += Stopwatch.GetTimestamp() - began;
                if (!double.IsFinite(loss))
                    return TrainingOutcome.Diverged($"training diverged: the loss became {loss} in epoch {epoch} at example {start + 1} of {n}; try {{SmallerLearningRate}}.");
                lossSum += loss;
                observer.OnProgress(epoch, Math.Min(start + batchSize, n), n);
            }
            var record = learner.Evaluate(epoch) with { Seconds = stepTicks / Stopwatch.Frequency, TrainLoss = lossSum / n };
            history.Add(record);
            observer.OnEpoch(record);
        }
        return new(RunStatus.Completed);
    }

    // order[perm]: the course's X = X[perm] applied to the current arrangement
    public static int[] Reorder(int[] order, int[] permutation)
    {
        var next = new int[order.Length];
        for (var i = 0; i < next.Length; i++)
            next[i] = order[permutation[i]];
        return next;
    }
}
