namespace ScratchNet.Torch;

/// <summary>Which classifier to build: the report's Question 4.1 (one linear layer) or 4.2/4.3 (a feedforward network).</summary>
public enum TorchModelKind
{
    LogisticRegression,
    FeedforwardNetwork,
}

public enum TorchActivation
{
    Relu,
    Tanh,
}

public enum TorchOptimizerKind
{
    Sgd,
    Adam,
}

/// <summary>
/// One TorchSharp training run. Defaults are the course's Question 4 defaults (hw1-q4.py): 20 epochs, η 0.01,
/// batch size 1, 200 hidden units, 1 hidden layer, dropout 0.3, ReLU, SGD, no L2, seed 42; libtorch on 1 thread.
/// </summary>
public sealed record TorchRunOptions
{
    public TorchModelKind Model { get; init; } = TorchModelKind.FeedforwardNetwork;
    public int Epochs { get; init; } = 20;
    public double LearningRate { get; init; } = 0.01;
    public int BatchSize { get; init; } = 1;
    public int HiddenSize { get; init; } = 200;
    public int Layers { get; init; } = 1;
    public double Dropout { get; init; } = 0.3;
    public TorchActivation Activation { get; init; } = TorchActivation.Relu;
    public TorchOptimizerKind Optimizer { get; init; } = TorchOptimizerKind.Sgd;

    /// <summary>The optimizer's weight_decay (PyTorch semantics: adds L2 × parameter to every parameter's gradient, biases included).</summary>
    public double L2 { get; init; }

    public long Seed { get; init; } = 42;

    /// <summary>libtorch intra-op threads (torch.set_num_threads); 1 keeps runs deterministic and comparable.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Throws ArgumentException naming the first out-of-range option.</summary>
    public void Validate()
    {
        if (Epochs < 1)
            ThrowHelper.OutOfRange(nameof(Epochs), Epochs, "1 or more");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            ThrowHelper.OutOfRange(nameof(LearningRate), LearningRate, "a finite number > 0");
        if (BatchSize < 1)
            ThrowHelper.OutOfRange(nameof(BatchSize), BatchSize, "1 or more");
        if (Model == TorchModelKind.FeedforwardNetwork && HiddenSize < 1)
            ThrowHelper.OutOfRange(nameof(HiddenSize), HiddenSize, "1 or more");
        if (Model == TorchModelKind.FeedforwardNetwork && Layers < 1)
            ThrowHelper.OutOfRange(nameof(Layers), Layers, "1 or more");
        if (!(Dropout >= 0 && Dropout < 1))
            ThrowHelper.OutOfRange(nameof(Dropout), Dropout, "0 <= dropout < 1");
        if (!(L2 >= 0) || double.IsInfinity(L2))
            ThrowHelper.OutOfRange(nameof(L2), L2, "a finite number >= 0");
        if (Threads < 1)
            ThrowHelper.OutOfRange(nameof(Threads), Threads, "1 or more");
    }
}
