using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ScratchNet.Data;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Bench;

/// <summary>
/// BenchmarkDotNet's view of <see cref="EpochWorkloads"/>: one invocation trains one epoch over the first
/// <see cref="Examples"/> training examples, and the reported time is per example (OperationsPerInvoke), so
/// × 50,000 gives seconds per full epoch. The scratch learner is built in the iteration setup (untimed); the torch
/// invocation is a whole <c>TorchClassifierTrainer.Train</c> call, so it also counts that call's setup (the data
/// copied into tensors, the model built) and its tiny 100-example evaluation, which the `epochs` mode excludes.
/// Runs in process: libtorch's natives are already resolved for this assembly.
/// </summary>
[Config(typeof(EpochConfig))]
public class EpochBenchmarks
{
    public const int Examples = 10_000;
    private EpochWorkloads? _workloads;
    private ILearner? _learner;
    private IEpochOrders? _stream;

    [Params(EpochEngine.ScratchFloat32, EpochEngine.ScratchFloat64, EpochEngine.Torch)]
    public EpochEngine Engine { get; set; }

    [Params(1, 16, 64, 256)]
    public int Batch { get; set; }

    public static double Flops(string method, int size) => EpochWorkloads.FlopsPerExample;

    [GlobalSetup]
    public void LoadData() => _workloads = new EpochWorkloads(FashionMnist.Load());

    [IterationSetup]
    public void BuildLearner()
    {
        if (Engine == EpochEngine.Torch)
            return;
        var precision = Engine == EpochEngine.ScratchFloat64 ? Precision.Float64 : Precision.Float32;
        (_learner, _stream) = Workloads.BuildScratch(precision, Batch, Examples);
    }

    [Benchmark(OperationsPerInvoke = Examples)]
    public double Epoch() => Engine == EpochEngine.Torch
        ? Workloads.Torch(Batch, Examples)
        : EpochWorkloads.RunScratch(_learner!, _stream!, Batch);

    private EpochWorkloads Workloads => _workloads ?? throw new InvalidOperationException("GlobalSetup has not run.");

    private sealed class EpochConfig : ManualConfig
    {
        public EpochConfig()
        {
            Add(new GflopsConfig());
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
        }
    }
}
