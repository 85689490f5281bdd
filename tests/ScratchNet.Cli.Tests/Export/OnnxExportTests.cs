using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using ScratchNet.Data;
using ScratchNet.Runs;
using ModelMetadata = ScratchNet.Runs.ModelMetadata;

namespace ScratchNet.Tests.Export;

/// <summary>
/// model.safetensors describes its model, and `export --format onnx` gives a graph ONNX Runtime runs to ScratchNet's own
/// results: on all 10,000 test images the same argmax as ScratchNet's evaluation (test_predictions.csv) and softmax
/// probabilities within 1e-6 of the float64 forward pass; for the regressors, the test RMSE of metrics.csv.
/// </summary>
[Collection(ExportRunsCollection.Name)]
public sealed class OnnxExportTests(ExportRuns runs)
{
    public static TheoryData<string> ClassifierRuns => [.. ExportRuns.Classifiers.Keys];
    public static TheoryData<string> RegressorRuns => [.. ExportRuns.Regressors.Keys];

    [Theory]
    [MemberData(nameof(ClassifierRuns))]
    public void Model_safetensors_describes_the_classifier_and_rebuilds_its_predictions(string name)
    {
        var run = runs.Run(name);
        var options = RunFolder.ReadManifest(run).Options;
        var model = SavedModel.Load(run);

        Assert.Equal(ModelMetadata.CliName(options.Model), model.Model);
        Assert.Equal(options.Engine == Engine.Torch ? "torch" : "scratch", model.Engine);
        Assert.Equal(options.Precision == Precision.Float64 ? "F64" : "F32", model.DType);
        Assert.Equal(ModelMetadata.FashionMnistClassNames, model.ClassNames);
        Assert.Equal(1.0 / 256, model.InputScale);
        Assert.StartsWith(RunEnvironment.Current().ScratchNet, model.Metadata["scratchnet_version"]);
        int[] expectedSizes = options.Model == ModelKind.Mlp ? [784, .. Enumerable.Repeat(options.HiddenSize, options.Layers), 10] : [784, 10];
        int[] sizes = [784, .. model.Layers.Select(layer => layer.Out)];
        Assert.Equal(expectedSizes, sizes);
        Assert.Equal(options.Model == ModelKind.Mlp ? options.Activation.ToString().ToLowerInvariant() : "none", model.Activation);

        // The file alone rebuilds ScratchNet's test predictions.
        var test = ExportRuns.TestImages();
        var expected = ExportRuns.ScratchNetPredictions(run);
        var predicted = Enumerable.Range(0, test.Count).Select(i => ArgMax(model.Forward(model.ScalePixels(test.Pixels(i))))).ToArray();
        Assert.Equal(10_000, expected.Length);
        Assert.Equal(expected, predicted);
    }

    [Theory]
    [MemberData(nameof(ClassifierRuns))]
    public void Onnx_runtime_matches_scratchnet_on_all_test_images(string name)
    {
        var run = runs.Run(name);
        var onnx = Path.Combine(runs.Root, name + ".onnx");
        var (code, output, error) = CliRunner.Run("export", run, "--format", "onnx", "--out", onnx);
        Assert.True(code == 0, error);
        Assert.Contains(onnx, output);
        var model = SavedModel.Load(run);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        Assert.DoesNotContain(proto.Graph.Node, node => node.OpType == "Dropout");
        Assert.Contains(proto.MetadataProps, entry => entry.Key == "input_scaling" && entry.Value == ModelMetadata.PixelScaling);

        var test = ExportRuns.TestImages();
        var input = new float[test.Count * 784];
        for (var j = 0; j < input.Length; j++)
            input[j] = (float)(test.AllPixels[j] * LabeledImages.PixelScale);
        var (logits, probabilities) = RunClassifier(onnx, input, test.Count);

        var expected = ExportRuns.ScratchNetPredictions(run);
        var worst = 0.0;
        for (var i = 0; i < test.Count; i++)
        {
            var row = logits.AsSpan(i * 10, 10);
            Assert.True(expected[i] == ArgMax(row), $"test image {i}: ONNX Runtime predicts {ArgMax(row)}, ScratchNet {expected[i]}");
            var reference = SavedModel.Softmax(model.Forward(model.ScalePixels(test.Pixels(i))));
            for (var k = 0; k < 10; k++)
                worst = Math.Max(worst, Math.Abs(probabilities[i * 10 + k] - reference[k]));
        }
        Assert.True(worst <= 1e-6, $"probabilities differ by up to {worst:E2} from ScratchNet's float64 forward pass");
    }

    [Theory]
    [MemberData(nameof(RegressorRuns))]
    public void Onnx_runtime_gives_the_regressors_test_rmse(string name)
    {
        var run = runs.Run(name);
        var onnx = Path.Combine(runs.Root, name + ".onnx");
        Assert.Equal(0, CliRunner.Run("export", run, "--format", "onnx", "--out", onnx).Code);
        var model = SavedModel.Load(run);
        Assert.False(model.IsClassifier);
        Assert.Equal(name.StartsWith("linear", StringComparison.Ordinal) ? "linear" : "neural", model.Model);

        var test = AmesHousing.LoadNpz(Path.Combine(runs.AmesFolder, AmesHousing.NpzName)).Test;
        var input = test.AllFeatures.ToArray().Select(v => (float)v).ToArray();
        using var session = new InferenceSession(onnx);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [test.Count, test.FeatureCount]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["input"] = value }, ["prediction"]);
        var predictions = results[0].GetTensorDataAsSpan<double>().ToArray();
        Assert.Equal(test.Count, predictions.Length);

        // The ONNX input is float32, so compare with ScratchNet's float64 forward pass on the same float32-rounded features…
        var worst = 0.0;
        for (var i = 0; i < test.Count; i++)
        {
            var rounded = test.Row(i).ToArray().Select(v => (double)(float)v).ToArray();
            worst = Math.Max(worst, Math.Abs(predictions[i] - model.Forward(rounded)[0]));
        }
        Assert.True(worst < 1e-9, $"ONNX Runtime's predictions differ by {worst:E2}");
        // …and the RMSE with the test_rmse ScratchNet measured in training (float64 features: agrees to float32 input rounding).
        var rmse = Math.Sqrt(Enumerable.Range(0, test.Count).Sum(i => Math.Pow(predictions[i] - test.Target(i), 2)) / test.Count);
        var recorded = RunFolder.ReadMetrics(run)[^1].TestRmse!.Value;
        Assert.True(Math.Abs(rmse - recorded) <= 1e-5 * recorded, $"ONNX test RMSE {rmse.ToString("R", CultureInfo.InvariantCulture)}, metrics.csv {recorded.ToString("R", CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void Export_of_a_folder_without_a_model_is_one_line_exit_3()
    {
        var empty = Directory.CreateDirectory(Path.Combine(runs.Root, "empty-run")).FullName;
        var (code, _, error) = CliRunner.Run("export", empty, "--format", "onnx");
        Assert.Equal(ExitCodes.Data, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("model.safetensors", error);
    }

    internal static (double[] Logits, double[] Probabilities) RunClassifier(string onnx, float[] input, int count)
    {
        using var session = new InferenceSession(onnx);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [count, 784]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["input"] = value }, ["logits", "probabilities"]);
        return (results[0].GetTensorDataAsSpan<double>().ToArray(), results[1].GetTensorDataAsSpan<double>().ToArray());
    }

    internal static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var k = 1; k < values.Length; k++)
            if (values[k] > values[best])
                best = k;
        return best;
    }
}
