using System.IO.Compression;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Tests.Data;
using ScratchNet.Training;
using static ScratchNet.Tests.Reliability.MutationGenerators;
using Seeds = ScratchNet.Tests.Reliability.MutationSeeds;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// Issue 8: valid IDX, NPY, NPZ, safetensors, Ames CSV, manifest.json and metrics.csv files, damaged at random
/// (<see cref="MutationGenerators"/>), must be read correctly or refused with a one-line <see cref="DataException"/>
/// (<see cref="ParserContract"/>). Every property runs <see cref="Cases"/> cases from a fixed seed.
/// </summary>
public sealed class ParserMutationTests : IDisposable
{
    public const int Cases = 2500;
    private readonly ScratchFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [MutationProperty]
    public Property Idx_files_raw_and_gzip_are_read_or_refused()
    {
        var labelsGz = DataFixtures.Gzip(Seeds.IdxLabels);
        var imagesGz = DataFixtures.Gzip(Seeds.IdxImages);
        var files = OneOf(
            Mutated("labels", Seeds.IdxLabels, Bytes(Seeds.IdxFields(1))),
            Mutated("images", Seeds.IdxImages, Bytes(Seeds.IdxFields(3))),
            Mutated("labels.gz", labelsGz, Bytes(Seeds.GzipFields(labelsGz))),
            Mutated("images.gz", imagesGz, Bytes(Seeds.GzipFields(imagesGz))),
            Mutated("labels", Seeds.IdxLabels, Bytes(Seeds.IdxFields(1)), "content, then gzip", DataFixtures.Gzip),
            Mutated("images", Seeds.IdxImages, Bytes(Seeds.IdxFields(3)), "content, then gzip", DataFixtures.Gzip));
        return Prop.ForAll(files, file =>
        {
            var dimensions = file.Seed.StartsWith("labels", StringComparison.Ordinal) ? 1 : 3;
            var path = _dir.Write(file.Seed, file.Bytes);
            string? contentHash = null; // the hash the run manifest records, computed by its own reader
            ParserContract.ParsesOrRefuses(file, () => DataHashes.Sha256OfContent(path), hash => contentHash = hash);
            return ParserContract.ParsesOrRefuses(file, () => IdxReader.Read(path, dimensions), array =>
            {
                Assert.Equal(dimensions, array.Dimensions.Length);
                Assert.Equal(array.Dimensions.Aggregate(1L, (product, d) => product * d), array.Data.LongLength);
                Assert.Equal(contentHash, array.Sha256);
                if (file.Mode == "file" && !file.Seed.EndsWith(".gz", StringComparison.Ordinal))
                    Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file.Bytes)), array.Sha256);
            });
        });
    }

    [MutationProperty]
    public Property Npy_files_are_read_or_refused()
    {
        var files = OneOf(
        [
            .. Seeds.NpyParts.Select(part => Mutated(part.Name, Seeds.Npy(part), Bytes(Seeds.NpyFields(part.Major)))),
            .. Seeds.NpyParts.Select(part => Mutated(part.Name, System.Text.Encoding.Latin1.GetBytes(part.Dict), Text, "header dict",
                header => Seeds.NpyAround(header, part.Data, part.Major))),
        ]);
        return Prop.ForAll(files, file =>
        {
            var path = _dir.Write(file.Seed + ".npy", file.Bytes);
            return ParserContract.ParsesOrRefuses(file, () => NpyReader.Read(path), CheckNpy);
        });
    }

    [MutationProperty]
    public Property Npz_archives_are_read_or_refused() =>
        Prop.ForAll(NpzFiles(), file =>
        {
            var path = _dir.Write("arrays.npz", file.Bytes);
            return ParserContract.ParsesOrRefuses(file, () => NpzReader.Read(path), arrays =>
            {
                foreach (var array in arrays.Values)
                    CheckNpy(array);
            });
        });

    [MutationProperty]
    public Property Ames_npz_is_loaded_or_refused() =>
        Prop.ForAll(NpzFiles(), file =>
        {
            var path = _dir.Write("ames.npz", file.Bytes);
            return ParserContract.ParsesOrRefuses(file, () => AmesHousing.LoadNpz(path), ames =>
            {
                Assert.Equal(ames.Train.FeatureCount, ames.Test.FeatureCount);
                Assert.True(ames.Train.AllFeatures.ToArray().All(double.IsFinite) && ames.Test.Targets.ToArray().All(double.IsFinite));
            });
        });

    [MutationProperty]
    public Property Safetensors_checkpoints_are_loaded_into_a_model_or_refused()
    {
        var f64 = Seeds.Checkpoint<double>();
        var f32 = Seeds.Checkpoint<float>();
        var (f64Header, f64Data) = Seeds.SplitSafeTensors(f64);
        var (f32Header, f32Data) = Seeds.SplitSafeTensors(f32);
        var files = OneOf(
            Mutated("f64", f64, Bytes(Seeds.SafeTensorsFields)),
            Mutated("f32", f32, Bytes(Seeds.SafeTensorsFields)),
            Mutated("f64", f64Header, Text, "json header", header => Seeds.SafeTensorsAround(header, f64Data)),
            Mutated("f32", f32Header, Text, "json header", header => Seeds.SafeTensorsAround(header, f32Data)));
        return Prop.ForAll(files, file => ParserContract.ParsesOrRefuses(file, () =>
        {
            var tensors = SafeTensors.Parse(file.Bytes, file.Seed);
            var metadata = SafeTensors.ReadMetadata(file.Bytes, file.Seed);
            if (file.Seed == "f64")
                LoadInto<double>(tensors);
            else
                LoadInto<float>(tensors);
            return (tensors, metadata);
        }, result =>
        {
            foreach (var tensor in result.tensors)
                Assert.Equal(tensor.ElementCount * (tensor.DType is "F64" or "I64" ? 8 : tensor.DType is "U8" ? 1 : 4), tensor.Data.LongLength);
        }));
    }

    [MutationProperty]
    public Property Ames_csv_is_loaded_or_refused()
    {
        var csv = Seeds.AmesCsv();
        return Prop.ForAll(OneOf(Mutated("AmesHousing.csv", csv, Text), Mutated("AmesHousing.csv", csv, TextOrBytes)), file =>
        {
            var path = _dir.Write(file.Seed, file.Bytes);
            return ParserContract.ParsesOrRefuses(file, () => AmesHousing.LoadCsv(path), ames =>
            {
                Assert.True(ames.Train.Count >= 1 && ames.Test.Count >= 1);
                Assert.Equal(ames.Train.FeatureCount, ames.FeatureNames.Count);
                Assert.True(ames.Train.AllFeatures.ToArray().Concat(ames.Test.AllFeatures.ToArray()).All(double.IsFinite));
                Assert.True(ames.Train.Targets.ToArray().Concat(ames.Test.Targets.ToArray()).All(double.IsFinite));
            });
        });
    }

    [MutationProperty]
    public Property Run_manifests_are_read_or_refused()
    {
        var files = OneOf(Mutated("manifest", Seeds.Manifest(withData: true), TextOrBytes), Mutated("manifest", Seeds.Manifest(withData: false), Text));
        return Prop.ForAll(files, file =>
        {
            var path = _dir.Write(RunFolder.ManifestFile, file.Bytes);
            return ParserContract.ParsesOrRefuses(file, () => RunManifest.Read(path), manifest =>
            {
                Assert.Equal(RunManifest.CurrentSchema, manifest.Schema);
                Assert.NotNull(manifest.Name);
                Assert.NotNull(manifest.ConfigHash);
                Assert.NotNull(manifest.Options);
                Assert.NotNull(manifest.Environment);
                Assert.NotNull(manifest.Final);
            });
        });
    }

    [MutationProperty]
    public Property Metrics_csv_is_read_or_refused() =>
        Prop.ForAll(OneOf(Mutated("metrics", Seeds.Metrics(), TextOrBytes)), file =>
        {
            var path = _dir.Write(RunFolder.MetricsFile, file.Bytes);
            return ParserContract.ParsesOrRefuses(file, () => MetricsCsv.Read(path),
                epochs => Assert.True(epochs.Count <= file.Bytes.Count(b => b is (byte)'\n' or (byte)'\r')));
        });

    /// <summary>The properties would pass vacuously if the seeds themselves were refused: each must read back.</summary>
    [Fact]
    public void Every_seed_file_reads_back()
    {
        Assert.Equal(8, IdxReader.Read(_dir.Write("labels", Seeds.IdxLabels), 1).Data.Length);
        Assert.Equal([3, 4, 5], IdxReader.Read(_dir.Write("images.gz", DataFixtures.Gzip(Seeds.IdxImages)), 3).Dimensions);
        foreach (var part in Seeds.NpyParts)
        {
            var array = NpyReader.Read(_dir.Write(part.Name, Seeds.Npy(part)));
            CheckNpy(array);
            Assert.True(array.Length > 0, part.Name);
        }
        Assert.Equal(4, NpzReader.Read(_dir.Write("a.npz", Seeds.Zip(CompressionLevel.Optimal, Seeds.AmesEntries()))).Count);
        Assert.Equal(3, AmesHousing.LoadNpz(_dir.Write("ames.npz", Seeds.Zip(CompressionLevel.NoCompression, Seeds.AmesEntries()))).Test.Count);
        LoadInto<double>(SafeTensors.Parse(Seeds.Checkpoint<double>(), "f64"));
        LoadInto<float>(SafeTensors.Parse(Seeds.Checkpoint<float>(), "f32"));
        Assert.Equal("2", SafeTensors.ReadMetadata(Seeds.Checkpoint<double>(), "f64")["epoch"]);
        var ames = AmesHousing.LoadCsv(_dir.Write("AmesHousing.csv", Seeds.AmesCsv()));
        Assert.Equal((2, 2), (ames.Train.Count, ames.Test.Count));
        Assert.Equal("q4-mlp", RunManifest.Read(_dir.Write(RunFolder.ManifestFile, Seeds.Manifest(withData: true))).Name);
        Assert.Equal(Seeds.Epochs(), MetricsCsv.Read(_dir.Write(RunFolder.MetricsFile, Seeds.Metrics())));
    }

    private static Arbitrary<MutatedFile> NpzFiles()
    {
        var entries = Seeds.AmesEntries();
        var deflated = Seeds.Zip(CompressionLevel.Optimal, entries);
        var stored = Seeds.Zip(CompressionLevel.NoCompression, entries);
        byte[] Rezip(byte[] xtrain) => Seeds.Zip(CompressionLevel.Fastest, [("Xtrain.npy", xtrain), .. entries[1..]]);
        return OneOf(
            Mutated("deflated", deflated, Bytes(Seeds.ZipFields(deflated))),
            Mutated("stored", stored, Bytes(Seeds.ZipFields(stored))),
            Mutated("Xtrain.npy", entries[0].Content, Bytes(Seeds.NpyFields(1)), "entry, then zip", Rezip));
    }

    private static void CheckNpy(NpyArray array)
    {
        Assert.Equal(array.Shape.Aggregate(1L, (product, d) => product * d), array.Length);
        Assert.Equal(array.Type switch
        {
            NpyType.Float64 => typeof(double[]),
            NpyType.Float32 => typeof(float[]),
            NpyType.Int64 => typeof(long[]),
            _ => typeof(byte[]),
        }, array.Data.GetType());
    }

    private static void LoadInto<T>(IReadOnlyList<SafeTensor> tensors) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (model, optimizer) = Seeds.Learner<T>();
        LearnerState.Load(model.Parameters, optimizer, tensors, "checkpoint.safetensors");
    }
}

/// <summary>A mutation property: <see cref="ParserMutationTests.Cases"/> cases from a fixed seed, so every run is the same.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MutationPropertyAttribute : PropertyAttribute
{
    public MutationPropertyAttribute()
    {
        MaxTest = ParserMutationTests.Cases;
        Replay = "(2026,1127)";
    }
}
