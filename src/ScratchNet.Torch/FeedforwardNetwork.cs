using ScratchNet.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>
/// The report's Question 4.2/4.3 model: [Linear → activation → Dropout] × layers, then Linear, producing logits.
/// Modules are created in exactly that order, so the default init (Linear: kaiming-uniform weight, then uniform bias)
/// consumes the global generator as the course's PyTorch code did. Parameter names follow nn.Sequential:
/// layers.0.weight [H, D], layers.0.bias [H], layers.3.weight [H, H], ..., layers.{3L}.weight [K, H].
/// </summary>
public sealed class FeedforwardNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    public FeedforwardNetwork(int classes, int features, int hidden, int layers, Activation activation, double dropout,
        ScalarType dtype = ScalarType.Float32)
        : base(nameof(FeedforwardNetwork))
    {
        if (layers < 1)
            ThrowHelper.OutOfRange(nameof(layers), layers, "1 or more hidden layers");
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int layer = 0; layer < layers; layer++)
        {
            modules.Add(($"{modules.Count}", nn.Linear(layer == 0 ? features : hidden, hidden, dtype: dtype)));
            modules.Add(($"{modules.Count}", activation == Activation.Relu ? nn.ReLU() : nn.Tanh()));
            modules.Add(($"{modules.Count}", nn.Dropout(dropout)));
        }
        modules.Add(($"{modules.Count}", nn.Linear(hidden, classes, dtype: dtype)));
        _layers = nn.Sequential(modules);
        register_module("layers", _layers);
    }

    /// <summary>x: [N, D] → logits [N, K]. Dropout is active only in train() mode.</summary>
    public override Tensor forward(Tensor input) => _layers.forward(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _layers.Dispose();
        base.Dispose(disposing);
    }
}
