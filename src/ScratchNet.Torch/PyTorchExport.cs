using ScratchNet.Runs;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>
/// Writes a <see cref="SavedModel"/> as a PyTorch state dict (Python's pickle/zip format, by TorchSharp.PyBridge's
/// <c>save_py</c>) for the model the course built: one <c>nn.Linear(D, K)</c> for the linear models (keys <c>weight</c>,
/// <c>bias</c>), else <c>nn.Sequential([Linear → activation → Dropout] × layers, Linear)</c> (keys <c>0.weight</c>,
/// <c>0.bias</c>, <c>3.weight</c>, …, <c>{3L}.weight</c>). Tensors keep the training dtype (float32 or float64);
/// <c>load_state_dict</c> copies them into the Python model's own dtype.
/// </summary>
public static class PyTorchExport
{
    public static void Write(SavedModel model, string path)
    {
        using var scope = NewDisposeScope();
        var dtype = model.DType == "F64" ? ScalarType.Float64 : ScalarType.Float32;
        using var module = Build(model, dtype);
        var temporary = path + ".tmp-" + Environment.ProcessId;
        try
        {
            module.save_py(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static nn.Module Build(SavedModel model, ScalarType dtype)
    {
        var linears = model.Layers.Select(layer => Linear(layer, dtype)).ToList();
        if (linears.Count == 1)
            return linears[0];
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var dropout = double.Parse(model.Metadata.GetValueOrDefault("dropout", "0"), System.Globalization.CultureInfo.InvariantCulture);
        for (var l = 0; l < linears.Count; l++)
        {
            modules.Add(($"{modules.Count}", linears[l]));
            if (l == linears.Count - 1)
                break;
            modules.Add(($"{modules.Count}", model.Activation == "tanh" ? nn.Tanh() : nn.ReLU()));
            modules.Add(($"{modules.Count}", nn.Dropout(dropout)));
        }
        return nn.Sequential(modules);
    }

    private static TorchSharp.Modules.Linear Linear(SavedLayer layer, ScalarType dtype)
    {
        var linear = nn.Linear(layer.In, layer.Out, dtype: dtype);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(layer.Weight, [layer.Out, layer.In], ScalarType.Float64).to(dtype));
            linear.bias!.copy_(tensor(layer.Bias, [layer.Out], ScalarType.Float64).to(dtype));
        }
        return linear;
    }
}
