using static TorchSharp.torch;

namespace ScratchNet.Torch;

public static class TorchModels
{
    /// <summary>Builds the model the options name; draws its initial weights from libtorch's global generator.</summary>
    public static nn.Module<Tensor, Tensor> Create(TorchRunOptions options, int features, int classes, ScalarType dtype = ScalarType.Float32) =>
        options.Model == TorchModelKind.LogisticRegression
            ? new LogisticRegression(classes, features, dtype)
            : new FeedforwardNetwork(classes, features, options.HiddenSize, options.Layers, options.Activation, options.Dropout, dtype);

    /// <summary>Copies every parameter out as (name, row-major data, shape), in named_parameters order.</summary>
    public static List<NamedArray<float>> ExportParameters(nn.Module module)
    {
        using var scope = NewDisposeScope();
        var exported = new List<NamedArray<float>>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            var values = parameter.detach().to(ScalarType.Float32).contiguous();
            exported.Add(new NamedArray<float>(name, values.data<float>().ToArray(), parameter.shape));
        }
        return exported;
    }
}
