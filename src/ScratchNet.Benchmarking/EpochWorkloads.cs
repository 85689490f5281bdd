using ScratchNet.Data;
using ScratchNet.Runs;
using ScratchNet.Torch;
using ScratchNet.Training;

namespace ScratchNet.Benchmarking;

/// <summary>Which trainer an epoch benchmark drives.</summary>
public enum EpochEngine { ScratchFloat32, ScratchFloat64, Torch }

/// <summary>
/// One training epoch of the MLP 784-200-10 (ReLU, no dropout, plain SGD, η 0.001, seed 42) on Fashion-MNIST, through the
/// code paths the product uses: the scratch engine is built by <see cref="LearnerFactory.ForClassification"/> and
/// driven by <see cref="Trainer.Run"/>; the torch engine is <c>TorchClassifierTrainer.Train</c>. Both take their thread
/// count from the options (<see cref="TrainingOptions.Threads"/>) and report the
/// seconds of their training steps only (shuffle included, evaluation excluded). `scratchnet bench` drives them
/// (<see cref="BenchRunner"/>); bench/ScratchNet.Bench's BenchmarkDotNet cases reuse them.
/// </summary>
public sealed class EpochWorkloads
{
    /// <summary>The size of a full epoch: the course's training split.</summary>
    public const int FullEpoch = 50_000;
    private const int Hidden = 200;
    private const double LearningRate = 0.001;

    // dev/test for the per-epoch evaluation both trainers run after the timed steps: kept tiny so repetitions stay cheap
    private const int EvaluationStub = 100;

    private readonly FashionMnist _data;
    private readonly Dictionary<int, TorchSplit> _torchTrain = [];
    private readonly TorchSplit _torchStub;

    public EpochWorkloads(FashionMnist data)
    {
        _data = data;
        _torchStub = ToTorch(data.Dev.Take(EvaluationStub));
    }

    public FashionMnist Data => _data;

    /// <summary>
    /// Nominal floating-point operations of one example's step: 2 (multiply + add) × (784·200 + 200·10) multiply-adds,
    /// × 3 for the forward pass, the backward pass and the update. The scratch engine skips zero pixels, so it does
    /// fewer; this counts the dense work, the same for every engine.
    /// </summary>
    public static double FlopsPerExample => 3.0 * 2.0 * (FashionMnist.Features * Hidden + Hidden * FashionMnist.Classes);

    public static TrainingOptions ScratchOptions(Precision precision, int batchSize, int threads = 1) =>
        Presets.For(ModelKind.Mlp, "q3") with
        {
            BatchSize = batchSize, Precision = precision, Dropout = 0, LearningRate = LearningRate, Threads = threads,
        };

    /// <summary>Builds a fresh learner (untimed) on the first <paramref name="examples"/> training examples.</summary>
    public (ILearner Learner, Randomness.IEpochOrders Stream) BuildScratch(Precision precision, int batchSize, int examples, int threads = 1) =>
        LearnerFactory.ForClassification(ScratchOptions(precision, batchSize, threads), _data.Train.Take(examples),
            _data.Dev.Take(EvaluationStub), _data.Test.Take(EvaluationStub));

    /// <summary>Seconds of one epoch's training steps, as the trainer measures them.</summary>
    public static double RunScratch(ILearner learner, Randomness.IEpochOrders stream, int batchSize)
    {
        var history = new List<EpochMetrics>();
        var outcome = Trainer.Run(learner, stream, epochs: 1, batchSize, history, SilentObserver.Instance, CancellationToken.None);
        if (outcome.Status != RunStatus.Completed)
            throw new InvalidOperationException($"the benchmark epoch ended {outcome.Status}: {outcome.Message}");
        return history[0].Seconds;
    }

    /// <summary>
    /// Seconds of one epoch of per-example Adam, float32, with the q4 preset's settings (η 0.01, dropout 0.3, PyTorch
    /// init): reproduce's q4.2-mlp-adam run on the scratch engine (one thread there; two split W1's columns).
    /// </summary>
    public double ScratchAdam(int examples, int threads)
    {
        var options = Presets.For(ModelKind.Mlp, "q4") with
        {
            Engine = Engine.Scratch, Optimizer = OptimizerKind.Adam, Precision = Precision.Float32, BatchSize = 1, Threads = threads,
        };
        var (learner, stream) = LearnerFactory.ForClassification(options, _data.Train.Take(examples),
            _data.Dev.Take(EvaluationStub), _data.Test.Take(EvaluationStub));
        return RunScratch(learner, stream, 1);
    }

    /// <summary>
    /// Seconds of one epoch of per-example SGD, float32, with the q4 preset's settings (η 0.01, dropout 0.3, PyTorch init,
    /// libtorch's stream for the order and the masks): the q4.2 MLP runs of reproduce, to set beside the plain step.
    /// </summary>
    public double ScratchSgdQ4(int examples, int threads)
    {
        var options = Presets.For(ModelKind.Mlp, "q4") with
        {
            Engine = Engine.Scratch, Precision = Precision.Float32, BatchSize = 1, Threads = threads,
        };
        var (learner, stream) = LearnerFactory.ForClassification(options, _data.Train.Take(examples),
            _data.Dev.Take(EvaluationStub), _data.Test.Take(EvaluationStub));
        return RunScratch(learner, stream, 1);
    }

    public double Scratch(Precision precision, int batchSize, int examples, int threads = 1)
    {
        var (learner, stream) = BuildScratch(precision, batchSize, examples, threads);
        return RunScratch(learner, stream, batchSize);
    }

    /// <summary>Seconds of one torch epoch's training steps on the first <paramref name="examples"/> examples.</summary>
    public double Torch(int batchSize, int examples, int threads = 1)
    {
        var data = TorchData(examples);
        var options = Presets.For(ModelKind.Mlp, "q4") with
        {
            Epochs = 1, LearningRate = LearningRate, BatchSize = batchSize,
            HiddenSize = Hidden, Layers = 1, Dropout = 0, Threads = threads,
        };
        return TorchClassifierTrainer.Train(options, data).Epochs[0].Seconds;
    }

    public TorchClassificationData TorchData(int examples)
    {
        if (!_torchTrain.TryGetValue(examples, out var train))
            _torchTrain[examples] = train = ToTorch(_data.Train.Take(examples));
        return new TorchClassificationData(FashionMnist.Features, FashionMnist.Classes, train, _torchStub, _torchStub);
    }

    /// <summary>
    /// Milliseconds to classify the 10,000 dev examples with a freshly initialised scratch MLP, through the learner's
    /// evaluation path (<see cref="IClassifierLearner.Predict"/>, batched through GEMM), on two threads as it was always
    /// measured (evaluation follows the run's thread count).
    /// </summary>
    public double EvaluationMilliseconds(Precision precision)
    {
        var (learner, _) = LearnerFactory.ForClassification(ScratchOptions(precision, 1, threads: 2), _data.Train.Take(EvaluationStub),
            _data.Dev, _data.Test);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var predicted = ((IClassifierLearner)learner).Predict(_data.Dev);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        GC.KeepAlive(predicted);
        return elapsed;
    }

    // the scratch engine's pixel scaling (byte / 256), so both engines see the same numbers
    private static TorchSplit ToTorch(LabeledImages images)
    {
        var pixels = images.AllPixels;
        var features = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
            features[i] = (float)(pixels[i] * LabeledImages.PixelScale);
        var labels = new long[images.Count];
        for (var i = 0; i < labels.Length; i++)
            labels[i] = images.Label(i);
        return new TorchSplit(features, labels);
    }

    private sealed class SilentObserver : ITrainingObserver
    {
        public static readonly SilentObserver Instance = new();

        public void OnProgress(int epoch, int examplesDone, int examplesTotal)
        {
        }

        public void OnEpoch(EpochMetrics epoch)
        {
        }
    }
}
