using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>
/// The report's Question 4.1 model: one nn.Linear(features, classes) producing logits (softmax lives in the loss).
/// Parameters: linear.weight [K, D], linear.bias [K]; created weight first, then bias, from the global generator.
/// </summary>
public sealed class LogisticRegression : nn.Module<Tensor, Tensor>
{
    private readonly Linear _linear;

    public LogisticRegression(int classes, int features, ScalarType dtype = ScalarType.Float32)
        : base(nameof(LogisticRegression))
    {
        _linear = nn.Linear(features, classes, dtype: dtype);
        register_module("linear", _linear);
    }

    /// <summary>x: [N, D] → logits [N, K].</summary>
    public override Tensor forward(Tensor input) => _linear.forward(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _linear.Dispose();
        base.Dispose(disposing);
    }
}
