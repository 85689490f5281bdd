using System.Buffers.Binary;
using System.Text;
using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Tests.RunFolders;

public class SafeTensorsTests
{
    private static byte[] Sample() => SafeTensors.Serialize(
        [SafeTensor.FromDoubles("W1", [1.5, -2.25, 3, 4, 5, 6], 2, 3), SafeTensor.FromFloats("b1", [0.5f, -0.125f], 2)],
        new Dictionary<string, string> { ["model"] = "mlp" });

    [Fact]
    public void Round_trips_values_shapes_dtypes_and_metadata()
    {
        var bytes = Sample();
        var tensors = SafeTensors.Parse(bytes, "sample");
        Assert.Equal(["W1", "b1"], tensors.Select(t => t.Name));
        Assert.Equal([2L, 3L], tensors[0].Shape);
        Assert.Equal("F64", tensors[0].DType);
        Assert.Equal([1.5, -2.25, 3, 4, 5, 6], tensors[0].ToDoubles());
        Assert.Equal([0.5f, -0.125f], tensors[1].ToFloats());
        Assert.Equal("mlp", SafeTensors.ReadMetadata(bytes, "sample")["model"]);
    }

    [Fact]
    public void Header_is_padded_so_tensor_data_is_8_byte_aligned()
    {
        var bytes = Sample();
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal(8 + (long)headerLength + 6 * 8 + 2 * 4, bytes.Length);
    }

    [Fact]
    public void Absurd_header_length_is_refused_before_allocating()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        var error = Assert.Throws<DataException>(() => SafeTensors.Parse(bytes, "huge.safetensors"));
        Assert.Contains("header claims", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_outside_the_file_are_refused()
    {
        var header = """{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,1600]}}""";
        var error = Assert.Throws<DataException>(() => SafeTensors.Parse(WithHeader(header, 16), "bad.safetensors"));
        Assert.Contains("outside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_that_does_not_match_the_bytes_is_refused()
    {
        var header = """{"w":{"dtype":"F32","shape":[5],"data_offsets":[0,16]}}""";
        var error = Assert.Throws<DataException>(() => SafeTensors.Parse(WithHeader(header, 16), "bad.safetensors"));
        Assert.Contains("shape [5]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"w":{"dtype":"BF7","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("""{"w":{"shape":[1],"data_offsets":[0,4]}}""")]
    public void Malformed_headers_are_data_errors(string header)
    {
        Assert.Throws<DataException>(() => SafeTensors.Parse(WithHeader(header, 4), "bad.safetensors"));
    }

    [Fact] // found by ParserMutationTests: one flipped bit in a tensor name escaped as InvalidOperationException
    public void Invalid_utf8_in_the_header_is_a_data_error()
    {
        var bytes = WithHeader("{\"b1\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        bytes[10] = 0xB1; // the '1' of "b1"
        var error = Assert.Throws<DataException>(() => SafeTensors.Parse(bytes, "flip.safetensors"));
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Throws<DataException>(() => SafeTensors.ReadMetadata(bytes, "flip.safetensors"));
    }

    [Theory] // a JSON escape can still make a name invalid UTF-16: a lone surrogate
    [InlineData("""{"\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("""{"__metadata__":{"\ud800":"x"}}""")]
    public void A_lone_surrogate_in_a_name_is_a_data_error(string header)
    {
        var bytes = WithHeader(header, 4);
        Assert.Throws<DataException>(() => { SafeTensors.Parse(bytes, "s.safetensors"); SafeTensors.ReadMetadata(bytes, "s.safetensors"); });
    }

    [Fact]
    public void A_json_error_quoting_a_newline_gives_a_one_line_message()
    {
        var error = Assert.Throws<DataException>(() => SafeTensors.Parse(WithHeader("{\"w\": nan,\n}", 0), "nl.safetensors"));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory] // found while fuzzing the checkpoint loader: an empty step count escaped as IndexOutOfRangeException
    [InlineData(new long[0])]
    [InlineData(new long[] { -3 })]
    [InlineData(new long[] { 1, 2 })]
    public void A_checkpoint_step_count_that_is_not_one_non_negative_number_is_a_data_error(long[] steps)
    {
        var model = new ScratchNet.Models.LogisticRegression<double>(2, 2);
        var optimizer = new Optimizer<double>(OptimizerKind.Sgd, 0.1, 0, model.Parameters);
        var tensors = LearnerState.Save(model.Parameters, optimizer);
        tensors[^1] = SafeTensor.FromLongs("optimizer.steps", steps, steps.Length);
        var error = Assert.Throws<DataException>(() => LearnerState.Load(model.Parameters, optimizer, tensors, "checkpoint.safetensors"));
        Assert.Contains("optimizer.steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_file_is_a_data_error()
    {
        Assert.Throws<DataException>(() => SafeTensors.Parse(new byte[5], "short.safetensors"));
    }

    [Fact]
    public void Write_then_read_from_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scratchnet-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Write(path, [SafeTensor.FromLongs("step", [7L], 1)]);
            Assert.Equal([7L], SafeTensors.Read(path)[0].ToLongs());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*.tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] WithHeader(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }
}
