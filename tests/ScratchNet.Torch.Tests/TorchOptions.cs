using ScratchNet.Runs;

namespace ScratchNet.Torch.Tests;

/// <summary>The options the torch-engine tests start from: the q4 preset, the course's Question 4 defaults (hw1-q4.py).</summary>
internal static class TorchOptions
{
    /// <summary>The MLP: 20 epochs, η 0.01, batch 1, 200 hidden units, 1 layer, dropout 0.3, ReLU, SGD, no L2, seed 42, 1 thread.</summary>
    public static TrainingOptions Mlp { get; } = Presets.For(ModelKind.Mlp, "q4").OnEngine(Engine.Torch);
}
