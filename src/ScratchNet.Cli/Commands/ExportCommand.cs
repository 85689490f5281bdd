using System.CommandLine;
using ScratchNet.Export;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet export RUN --format onnx|pt [--out FILE]`: the trained model of a run folder in a deployment format.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A finished run folder (or its model.safetensors): everything is read from model.safetensors and its metadata." };
        var format = new Option<string>("--format")
        {
            Description = "onnx: logits and probabilities (classifiers) or the prediction (regressors) from a float32 [N, features] input, for ONNX Runtime; "
                + "pt: a PyTorch state dict for the nn.Sequential of docs/export.md (classifiers)",
            Required = true,
        };
        format.AcceptOnlyFromAmong("onnx", "pt");
        var output = new Option<string?>("--out") { Description = "File to write [default: model.onnx or model.pt in the run folder]", HelpName = "FILE" };
        var command = new Command("export", "Export a trained model to ONNX or to a PyTorch state dict (inputs scaled as the metadata's input_scaling says: pixel / 256).") { run, format, output };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(run)!;
            var model = SavedModel.Load(source);
            var kind = parse.GetValue(format)!;
            var folder = Path.GetDirectoryName(model.Source) is { Length: > 0 } directory ? directory : ".";
            var target = parse.GetValue(output) ?? Path.Combine(folder, kind == "onnx" ? "model.onnx" : "model.pt");
            var targetFolder = Path.GetDirectoryName(Path.GetFullPath(target))!;
            if (!Directory.Exists(targetFolder))
                throw new UsageException($"--out {target}: the folder {targetFolder} does not exist. Create it or choose another path.");
            if (kind == "onnx")
                OnnxExporter.Write(model, target);
            else
                Torch.PyTorchExport.Write(model, target);
            parse.InvocationConfiguration.Output.WriteLine($"{model.Model} ({model.Engine} engine, layers {model.Metadata.GetValueOrDefault("layer_sizes")}) → {target}");
            return 0;
        });
        return command;
    }
}
