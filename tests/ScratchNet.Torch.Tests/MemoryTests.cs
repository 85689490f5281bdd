using ScratchNet.Runs;
using TorchSharp;

namespace ScratchNet.Torch.Tests;

/// <summary>Per-step work runs in dispose scopes, so long runs keep a flat tensor count and resident memory.</summary>
public class MemoryTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd, 10, 2_000)] // 20,000 steps of batch 1
    [InlineData(OptimizerKind.Adam, 4, 1_000)]
    public void Live_tensor_count_and_resident_memory_stay_flat_across_epochs(OptimizerKind optimizer, int epochs, int examples)
    {
        var data = SyntheticProblem.Blobs(features: 64, classes: 10, train: examples, dev: 50, test: 50);
        var options = TorchOptions.Mlp with { Optimizer = optimizer, Epochs = epochs, BatchSize = 1, HiddenSize = 64, LearningRate = 0.001 };
        var liveTensors = new List<long>();
        var residentBytes = new List<long>();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var result = TorchClassifierTrainer.Train(options, data, new SampleAtEpochEnd(() =>
        {
            liveTensors.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            residentBytes.Add(ResidentBytes());
        }));

        Assert.Equal((long)epochs * examples, result.Steps);
        // After the first epoch every step is identical: a single leaked tensor per step would add `examples` per epoch.
        Assert.All(liveTensors.Skip(1), count => Assert.Equal(liveTensors[1], count));
        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        // A leak of even the 4-byte loss scalar (plus libtorch's ~300-byte tensor header) per step would be several MB here.
        long growth = residentBytes[^1] - residentBytes[1];
        Assert.True(growth < 8L << 20, $"resident memory grew {growth >> 10} KiB from epoch 2 to epoch {epochs}");
    }

    private static long ResidentBytes()
    {
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private sealed class SampleAtEpochEnd(Action sample) : IProgress<TorchEpochProgress>
    {
        public void Report(TorchEpochProgress value) => sample();
    }
}
