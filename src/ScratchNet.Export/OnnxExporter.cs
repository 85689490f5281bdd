using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using ScratchNet.IO;
using ScratchNet.Runs;

namespace ScratchNet.Export;

/// <summary>
/// Writes a <see cref="SavedModel"/> as an ONNX model, built from ONNX's own schema types (OnnxSharp's ModelProto,
/// GraphProto, … generated from onnx.proto3 and serialised by Google.Protobuf).
/// Graph (N = batch, D = features, H = hidden, K = classes):
/// <code>
/// input [N, D] float32 (already scaled: see the metadata's input_scaling)
///   → Cast to float64
///   → [Gemm(W_l, b_l, transB) → Relu|Tanh] × hidden layers → Gemm(W_last, b_last, transB)
///   → logits [N, K] and probabilities = Softmax(logits) [N, K] (classifiers) | prediction [N, 1] (regressors)
/// </code>
/// The graph computes in float64 whatever the training precision (float32 weights convert exactly), so its outputs,
/// float64, are ScratchNet's float64 forward pass to rounding: in float32, a logit of 20 alone carries an error of 1e-6.
/// Dropout is a training-only layer: the graph has none. The safetensors metadata is copied into the model's metadata_props.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string ProbabilitiesName = "probabilities";
    public const string PredictionName = "prediction";
    private const long IrVersion = 8;
    private const long Opset = 17;

    public static ModelProto Build(SavedModel model)
    {
        const TensorProto.Types.DataType dtype = TensorProto.Types.DataType.Double;
        var graph = new GraphProto { Name = $"scratchnet_{model.Model}" };
        graph.Input.Add(Value(InputName, TensorProto.Types.DataType.Float, model.Features));
        graph.Node.Add(Node("Cast", [InputName], "input_f64", new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)dtype }));
        var current = "input_f64";
        for (var l = 0; l < model.Layers.Count; l++)
        {
            var layer = model.Layers[l];
            var last = l == model.Layers.Count - 1;
            string weight = $"layer{l + 1}.weight", bias = $"layer{l + 1}.bias";
            graph.Initializer.Add(Tensor(weight, dtype, layer.Weight, layer.Out, layer.In));
            graph.Initializer.Add(Tensor(bias, dtype, layer.Bias, layer.Out));
            var z = last ? (model.IsClassifier ? LogitsName : PredictionName) : $"layer{l + 1}.z";
            // z [N, out] = x [N, in] · Wᵀ + b
            graph.Node.Add(Node("Gemm", [current, weight, bias], z, new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
            current = z;
            if (!last)
            {
                current = $"layer{l + 1}.a";
                graph.Node.Add(Node(model.Activation == "tanh" ? "Tanh" : "Relu", [z], current));
            }
        }
        if (model.IsClassifier)
        {
            graph.Node.Add(Node("Softmax", [LogitsName], ProbabilitiesName, new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 }));
            graph.Output.Add(Value(LogitsName, dtype, model.Outputs));
            graph.Output.Add(Value(ProbabilitiesName, dtype, model.Outputs));
        }
        else
        {
            graph.Output.Add(Value(PredictionName, dtype, model.Outputs));
        }

        var proto = new ModelProto
        {
            IrVersion = IrVersion, ProducerName = "scratchnet", ProducerVersion = model.Metadata.GetValueOrDefault("scratchnet_version", ""),
            DocString = $"ScratchNet {model.Model} ({model.Engine} engine); input: {model.Metadata.GetValueOrDefault("input_scaling", "")}", Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in model.Metadata)
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    /// <summary>Writes the ONNX file atomically (a temporary file renamed into place).</summary>
    public static void Write(SavedModel model, string path) => AtomicFile.WriteAllBytes(path, Build(model).ToByteArray());

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output + "." + op };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        return node;
    }

    // [N, width] with a symbolic batch dimension N
    private static ValueInfoProto Value(string name, TensorProto.Types.DataType dtype, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)dtype, Shape = shape } },
        };
    }

    // raw_data is little-endian, as this machine's doubles
    private static TensorProto Tensor(string name, TensorProto.Types.DataType dtype, double[] values, params long[] shape)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)dtype, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.Add(shape);
        return tensor;
    }
}
