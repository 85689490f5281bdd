using System.Globalization;
using System.Text.Json;
using ScratchNet.Calculus;
using ScratchNet.IO;

namespace ScratchNet.Runs;

/// <summary>One dense layer of a saved model: y = W x + b with W [Out, In] row-major.</summary>
public sealed record SavedLayer(string WeightName, string? BiasName, int Out, int In, double[] Weight, double[] Bias);

/// <summary>
/// A trained model rebuilt from <c>model.safetensors</c> alone (its <c>__metadata__</c>, see <see cref="ModelMetadata"/>):
/// dense layers with the hidden activation between them, the last layer giving the logits of a classifier or the
/// prediction of a regressor. The reference forward pass runs in float64; exporters (ONNX, PyTorch) read it. It sits
/// in Training, beside <see cref="ModelMetadata"/> and <see cref="RunFolder"/> that write the file it reads.
/// </summary>
public sealed class SavedModel
{
    private SavedModel(string source, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SavedLayer> layers, IReadOnlyList<SafeTensor> tensors)
    {
        Source = source;
        Metadata = metadata;
        Layers = layers;
        Tensors = tensors;
        Model = metadata["model"];
        Engine = metadata["engine"];
        DType = metadata.GetValueOrDefault("dtype", tensors[0].DType);
        Activation = metadata["activation"];
        BiasColumn = metadata["bias_column"] == "last";
        InputScale = double.Parse(metadata["input_scale"], CultureInfo.InvariantCulture);
        ClassNames = JsonSerializer.Deserialize<string[]>(metadata["class_names"]) ?? [];
    }

    public string Source { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }
    public IReadOnlyList<SavedLayer> Layers { get; }
    /// <summary>The tensors as stored (names and dtype of the engine that wrote them).</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; }
    /// <summary>perceptron, logistic, mlp, linear or neural.</summary>
    public string Model { get; }
    public string Engine { get; }
    /// <summary>F64 or F32: the precision the model was trained in.</summary>
    public string DType { get; }
    /// <summary>relu, tanh or none.</summary>
    public string Activation { get; }
    /// <summary>True when the stored W is [out, in + 1] with the bias as its last column (the course's linear models).</summary>
    public bool BiasColumn { get; }
    public double InputScale { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public bool IsClassifier => ClassNames.Count > 0;
    public int Features => Layers[0].In;
    public int Outputs => Layers[^1].Out;

    /// <summary>Loads <paramref name="path"/>: a run folder or a <c>model.safetensors</c> file.</summary>
    public static SavedModel Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, RunFolder.ModelFile) : path;
        if (!File.Exists(file))
            throw MessageTerms.DataError(Directory.Exists(path)
                ? $"{path} has no {RunFolder.ModelFile}: the run did not finish. Train it to the end (or {{Resume}} it) first."
                : $"{path} does not exist. Pass a run folder (e.g. runs/mlp) or its {RunFolder.ModelFile}.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"Cannot read {file}: {e.Message}", e);
        }
        var metadata = SafeTensors.ReadMetadata(bytes, file);
        var tensors = SafeTensors.Parse(bytes, file);
        if (metadata.GetValueOrDefault("format") != ModelMetadata.Schema)
            throw new DataException($"{file} does not describe its model (no __metadata__ format '{ModelMetadata.Schema}'): it was written by an older ScratchNet. Re-run the training that wrote it.");
        return new SavedModel(file, metadata, ReadLayers(file, metadata, tensors), tensors);
    }

    private static List<SavedLayer> ReadLayers(string file, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafeTensor> tensors)
    {
        string[]?[]? names;
        try
        {
            foreach (var key in new[] { "model", "engine", "activation", "bias_column", "input_scale", "class_names", "layers" })
                if (!metadata.ContainsKey(key))
                    throw new DataException($"{file}: its metadata lacks '{key}'; the file is corrupt. Re-run the training that wrote it.");
            names = JsonSerializer.Deserialize<string[]?[]>(metadata["layers"]);
            _ = JsonSerializer.Deserialize<string[]>(metadata["class_names"]);
        }
        catch (JsonException e)
        {
            throw new DataException($"{file}: its metadata 'layers' or 'class_names' is not a JSON list ({e.Message}); the file is corrupt. Re-run the training that wrote it.", e);
        }
        if (names is not { Length: > 0 } || names.Any(pair => pair is not { Length: 2 } || pair[0] is null))
            throw new DataException($"{file}: its metadata 'layers' must list [weight, bias] name pairs; the file is corrupt. Re-run the training that wrote it.");
        var biasColumn = metadata["bias_column"] == "last";
        var layers = new List<SavedLayer>();
        foreach (var pair in names)
        {
            var weight = Find(file, tensors, pair![0]!);
            if (weight.Shape.Length != 2)
                throw new DataException($"{file}: tensor '{weight.Name}' has shape [{string.Join(", ", weight.Shape)}]; a weight is [out, in]. Re-run the training that wrote it.");
            int outputs = (int)weight.Shape[0], columns = (int)weight.Shape[1];
            var w = weight.ToDoubles();
            if (biasColumn)
            {
                // W [out, in + 1] → W [out, in] and b [out] (its last column)
                var inputs = columns - 1;
                var split = new double[outputs * inputs];
                var bias = new double[outputs];
                for (var o = 0; o < outputs; o++)
                {
                    Array.Copy(w, o * columns, split, o * inputs, inputs);
                    bias[o] = w[o * columns + inputs];
                }
                layers.Add(new SavedLayer(weight.Name, null, outputs, inputs, split, bias));
                continue;
            }
            var b = pair[1] is { } biasName ? Find(file, tensors, biasName).ToDoubles() : new double[outputs];
            if (b.Length != outputs)
                throw new DataException($"{file}: bias '{pair[1]}' has {b.Length} values for {outputs} outputs. Re-run the training that wrote it.");
            layers.Add(new SavedLayer(weight.Name, pair[1], outputs, columns, w, b));
        }
        for (var i = 1; i < layers.Count; i++)
            if (layers[i].In != layers[i - 1].Out)
                throw new DataException($"{file}: layer {i + 1} takes {layers[i].In} inputs but layer {i} gives {layers[i - 1].Out}. Re-run the training that wrote it.");
        return layers;
    }

    private static SafeTensor Find(string file, IReadOnlyList<SafeTensor> tensors, string name) =>
        tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new DataException($"{file}: its metadata names tensor '{name}', which the file does not hold. Re-run the training that wrote it.");

    /// <summary>x (already scaled, <see cref="Features"/> values) → logits of a classifier or the prediction of a regressor, in float64.</summary>
    public double[] Forward(ReadOnlySpan<double> input)
    {
        if (input.Length != Features)
            throw new ArgumentException($"The model takes {Features} inputs; got {input.Length}.", nameof(input));
        var current = input.ToArray();
        for (var l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            var next = new double[layer.Out];
            for (var o = 0; o < layer.Out; o++)
            {
                var sum = layer.Bias[o];
                for (var i = 0; i < layer.In; i++)
                    sum += layer.Weight[o * layer.In + i] * current[i];
                next[o] = l == Layers.Count - 1 ? sum : Activation == "tanh" ? Math.Tanh(sum) : Math.Max(sum, 0);
            }
            current = next;
        }
        return current;
    }

    /// <summary>Softmax of the logits (max-subtracted), the calculus reference's arithmetic.</summary>
    public static double[] Softmax(ReadOnlySpan<double> logits)
    {
        var result = new double[logits.Length];
        SoftmaxAndJacobian.Forward(logits, result);
        return result;
    }

    /// <summary>The model's input for one 28×28 image of bytes: pixel × <see cref="InputScale"/>.</summary>
    public double[] ScalePixels(ReadOnlySpan<byte> pixels)
    {
        var x = new double[pixels.Length];
        for (var j = 0; j < pixels.Length; j++)
            x[j] = pixels[j] * InputScale;
        return x;
    }
}
