using System.Diagnostics;
using ScratchNet.Randomness;

namespace ScratchNet.Training;

/// <summary>How a run ended; <see cref="Message"/> explains a divergence.</summary>
public sealed record TrainingOutcome(RunStatus Status, string? Message = null);

/// <summary>What the caller sees while a run goes: progress within an epoch and each finished epoch.</summary>
public interface ITrainingObserver
{
    void OnProgress(int epoch, int examplesDone, int examplesTotal);

    void OnEpoch(EpochMetrics epoch);
}

/// <summary>
/// The training loop. Shuffling is the course's: each epoch draws <c>permutation(n)</c> from the run's seeded
/// numpy stream and re-orders the current order with it (<c>order = order[perm]</c>, so orders compound). Epochs
/// already in <c>history</c> (a resumed run) are replayed by drawing their permutations again, which
/// restores the stream and the order exactly.
/// </summary>
public static class Trainer
{
    public static TrainingOutcome Run(ILearner learner, NumpyRandomState shuffle, int epochs, int batchSize,
        List<EpochMetrics> history, ITrainingObserver observer, CancellationToken cancellation)
    {
        var n = learner.TrainingCount;
        var order = Enumerable.Range(0, n).ToArray();
        for (var done = 0; done < history.Count; done++)
            order = Reorder(order, shuffle.Permutation(n));
        for (var epoch = history.Count + 1; epoch <= epochs; epoch++)
        {
            order = Reorder(order, shuffle.Permutation(n));
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
                    return new(RunStatus.Diverged, $"training diverged: the loss became {loss} in epoch {epoch} at example {start + 1} of {n}; try a smaller learning rate (--lr).");
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
