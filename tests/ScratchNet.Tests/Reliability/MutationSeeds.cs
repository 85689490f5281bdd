using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Models;
using ScratchNet.Runs;
using ScratchNet.Tests.Data;
using ScratchNet.Training;

namespace ScratchNet.Tests.Reliability;

/// <summary>The small valid files the mutation properties start from, and the header fields worth setting to extremes.</summary>
internal static class MutationSeeds
{
    // IDX: 00 00 08 ndims, then one big-endian int32 per dimension.
    public static byte[] IdxLabels { get; } = DataFixtures.Idx([8], DataFixtures.Bytes(8, seed: 3, modulo: 10));
    public static byte[] IdxImages { get; } = DataFixtures.Idx([3, 4, 5], DataFixtures.Bytes(60, seed: 4));

    public static HeaderField[] IdxFields(int dimensions) =>
        [new(3, 1, true), .. Enumerable.Range(0, dimensions).Select(d => new HeaderField(4 + 4 * d, 4, true))];

    /// <summary>The gzip trailer: CRC-32 and ISIZE, little-endian.</summary>
    public static HeaderField[] GzipFields(byte[] gzip) => [new(gzip.Length - 8, 4, false), new(gzip.Length - 4, 4, false)];

    // NPY: one seed per supported dtype and format version.
    public static (string Name, string Dict, byte[] Data, int Major)[] NpyParts { get; } =
    [
        ("f8-v1", "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", Doubles(1.5, -2, 3, 4e10, 0, 1e-300), 1),
        ("f4-v2", "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", [.. new[] { 1f, -2f, 0.5f, 3f }.SelectMany(BitConverter.GetBytes)], 2),
        ("u1-v3", "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", [1, 2, 3, 250, 251, 252], 3),
        ("i8-v1", "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", [.. new[] { 7L, -9L }.SelectMany(BitConverter.GetBytes)], 1),
    ];

    public static byte[] Npy((string Name, string Dict, byte[] Data, int Major) part) => DataFixtures.Npy(part.Dict, part.Data, part.Major);

    /// <summary>An NPY file around <paramref name="header"/> as given (no padding), its length field set to match.</summary>
    public static byte[] NpyAround(byte[] header, byte[] data, int major)
    {
        var prefix = new byte[major == 1 ? 10 : 12];
        prefix[0] = 0x93;
        "NUMPY"u8.CopyTo(prefix.AsSpan(1));
        prefix[6] = (byte)major;
        if (major == 1)
            BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(8), (ushort)Math.Min(header.Length, ushort.MaxValue));
        else
            BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(8), (uint)header.Length);
        return [.. prefix, .. header, .. data];
    }

    public static HeaderField[] NpyFields(int major) => [new(6, 1, false), new(8, major == 1 ? 2 : 4, false)];

    /// <summary>The course's ames.npz in miniature: 3 train and 3 test rows of 2 features.</summary>
    public static (string Name, byte[] Content)[] AmesEntries() =>
    [
        ("Xtrain.npy", DataFixtures.NpyDoubles([3, 2], [1, 2, 3, 4, 5, 6])),
        ("ytrain.npy", DataFixtures.NpyDoubles([3], [11, 12, 13])),
        ("Xtest.npy", DataFixtures.NpyDoubles([3, 2], [-1, -2, -3, -4, -5, -6])),
        ("ytest.npy", DataFixtures.NpyDoubles([3, 1], [10, 11.5, 12])),
    ];

    /// <summary>Every size, offset and count field of the zip's local headers, central directory and end record.</summary>
    public static HeaderField[] ZipFields(byte[] zip)
    {
        var fields = new List<HeaderField>();
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            int[] offsets4 = signature switch { 0x04034b50 => [14, 18, 22], 0x02014b50 => [16, 20, 24, 42], 0x06054b50 => [12, 16], _ => [] };
            int[] offsets2 = signature switch { 0x04034b50 => [8, 26, 28], 0x02014b50 => [10, 28, 30, 32], 0x06054b50 => [8, 10, 20], _ => [] };
            fields.AddRange(offsets4.Where(o => i + o + 4 <= zip.Length).Select(o => new HeaderField(i + o, 4, false)));
            fields.AddRange(offsets2.Where(o => i + o + 2 <= zip.Length).Select(o => new HeaderField(i + o, 2, false)));
        }
        return [.. fields];
    }

    /// <summary>A checkpoint of a tiny MLP (3 inputs, 2 hidden, 2 classes) with Adam state, as training writes it.</summary>
    public static byte[] Checkpoint<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (model, optimizer) = Learner<T>();
        for (var p = 0; p < model.Parameters.Count; p++)
        {
            for (var i = 0; i < model.Parameters[p].Value.Length; i++)
                model.Parameters[p].Value[i] = T.CreateChecked(0.25 * (i + 1) - p);
        }
        optimizer.RestoreSteps(12);
        var metadata = new Dictionary<string, string>
        {
            ["epoch"] = "2", ["resume_hash"] = "0123456789abcdef", ["seconds"] = "1.25",
            ["history"] = JsonSerializer.Serialize(Epochs(), RunJson.Options),
        };
        return SafeTensors.Serialize(LearnerState.Save(model.Parameters, optimizer), metadata);
    }

    public static (Mlp<T> Model, Optimizer<T> Optimizer) Learner<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(3, [2], 2);
        return (model, new Optimizer<T>(OptimizerKind.Adam, 0.01, 0, model.Parameters));
    }

    public static HeaderField[] SafeTensorsFields { get; } = [new(0, 8, false), new(4, 4, false)];

    /// <summary>The JSON header of a safetensors file and the data bytes after it.</summary>
    public static (byte[] Header, byte[] Data) SplitSafeTensors(byte[] file)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (file[8..(8 + length)], file[(8 + length)..]);
    }

    public static byte[] SafeTensorsAround(byte[] header, byte[] data)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        return [.. prefix, .. header, .. data];
    }

    /// <summary>A 4-row AmesHousing.csv with every column the pipeline needs: missing values, a quoted field, several levels.</summary>
    public static byte[] AmesCsv()
    {
        var names = new[] { "Order", AmesSchema.Id }.Concat(AmesSchema.NumericFeatures).Concat(AmesSchema.Categorical).Append(AmesSchema.Target).ToList();
        string Cell(string name, int row) => name switch
        {
            "Order" => (row + 1).ToString(CultureInfo.InvariantCulture),
            AmesSchema.Id => (526301100 + row).ToString(CultureInfo.InvariantCulture),
            AmesSchema.Target => (150000 + 12500 * row).ToString(CultureInfo.InvariantCulture),
            "Lot Frontage" => row == 2 ? "NA" : (60 + row).ToString(CultureInfo.InvariantCulture),
            "Mas Vnr Area" => row == 1 ? "" : (2.5 * row).ToString(CultureInfo.InvariantCulture),
            "Exterior 1st" => row == 0 ? "\"Wd, Sdng\"" : "VinylSd",
            "Alley" => row % 2 == 0 ? "NA" : "Pave",
            _ when AmesSchema.Categorical.Contains(name) => row % 2 == 0 ? "RL" : "RM",
            _ => (row * 3 + name.Length).ToString(CultureInfo.InvariantCulture),
        };
        var text = new StringBuilder(string.Join(',', names.Select(n => n.Contains(' ', StringComparison.Ordinal) && n.Length > 12 ? $"\"{n}\"" : n))).Append('\n');
        for (var row = 0; row < 4; row++)
            text.Append(string.Join(',', names.Select(n => Cell(n, row)))).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Manifest(bool withData)
    {
        var options = Presets.For(ModelKind.Mlp, "q4");
        var manifest = new RunManifest
        {
            Name = "q4-mlp", Status = RunStatus.Completed, Options = options, ConfigHash = options.ConfigHash(),
            Data = withData ? new DataProvenance("fashion-mnist", "/data", new Dictionary<string, string> { ["t10k-labels-idx1-ubyte"] = "ab12" }) : null,
            Environment = new RunEnvironment("1.0.0", ".NET 10.0.0", "Debian 12", "X64", 2),
            StartedUtc = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), FinishedUtc = new DateTimeOffset(2026, 11, 26, 9, 5, 0, TimeSpan.Zero),
            Seconds = 300.5, EpochsCompleted = 2, Final = new Dictionary<string, double> { ["dev_accuracy"] = 0.875, ["test_accuracy"] = 0.8625 },
            Message = "done",
        };
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, RunJson.Options) + "\n");
    }

    public static EpochMetrics[] Epochs() =>
    [
        new() { Epoch = 1, Seconds = 0.25, TrainLoss = 0.5, TrainLossRunning = 0.5, DevAccuracy = 0.8, TestAccuracy = 0.79, TrainAccuracy = 0.81 },
        new() { Epoch = 2, Seconds = 0.125, TrainLoss = 1.0 / 3, TrainLossRunning = 5.0 / 12, TrainRmse = 0.2, TestRmse = 0.3, WeightDistance = 1e-9 },
    ];

    public static byte[] Metrics() => Encoding.UTF8.GetBytes(MetricsCsv.Format(Epochs()));

    public static byte[] Zip(CompressionLevel level, (string Name, byte[] Content)[] entries) => DataFixtures.Npz(level, entries);

    private static byte[] Doubles(params double[] values) => [.. values.SelectMany(BitConverter.GetBytes)];
}
