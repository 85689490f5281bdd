using System.Buffers.Binary;
using System.IO.Compression;

namespace ScratchNet.Torch.Tests;

/// <summary>
/// Real-data smoke runs: the first 5,000 Fashion-MNIST training images (pixels × 1/256, as the course scaled them),
/// the next 1,000 as dev, the full t10k file as test. A tiny local IDX reader stands in for the data layer here.
/// </summary>
public class FashionMnistSmokeTests(FashionMnistSmokeTests.Subset data) : IClassFixture<FashionMnistSmokeTests.Subset>
{
    [Fact]
    public void Logistic_regression_on_5000_examples_reaches_a_sane_test_accuracy()
    {
        var options = new TorchRunOptions { Model = TorchModelKind.LogisticRegression, Epochs = 2, LearningRate = 0.001, BatchSize = 1 };

        var result = TorchClassifierTrainer.Train(options, data.Data);

        Assert.True(result.TestAccuracy > 0.7, $"test accuracy {result.TestAccuracy:F4}");
        Assert.True(result.Epochs[^1].DevAccuracy > 0.7, $"dev accuracy {result.Epochs[^1].DevAccuracy:F4}");
        Assert.Equal(10_000, result.Steps);
    }

    [Fact]
    public void Feedforward_network_on_5000_examples_reaches_a_sane_test_accuracy()
    {
        var result = TorchClassifierTrainer.Train(new TorchRunOptions { Epochs = 1 }, data.Data); // Q4 defaults: 784-200-10, ReLU, dropout 0.3, SGD η 0.01

        Assert.True(result.TestAccuracy > 0.7, $"test accuracy {result.TestAccuracy:F4}");
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias"], result.Parameters.Select(p => p.Name));
    }

    public sealed class Subset
    {
        private const string Folder = "/usr/share/datasets/fashion-mnist";

        public Subset()
        {
            var (trainImages, features) = ReadImages("train-images-idx3-ubyte.gz", 6_000);
            long[] trainLabels = ReadLabels("train-labels-idx1-ubyte.gz", 6_000);
            var (testImages, _) = ReadImages("t10k-images-idx3-ubyte.gz", 10_000);
            long[] testLabels = ReadLabels("t10k-labels-idx1-ubyte.gz", 10_000);
            Data = new TorchClassificationData(features, 10,
                new TorchSplit(trainImages[..(5_000 * features)], trainLabels[..5_000]),
                new TorchSplit(trainImages[(5_000 * features)..], trainLabels[5_000..]),
                new TorchSplit(testImages, testLabels));
        }

        public TorchClassificationData Data { get; }

        private static (float[] Pixels, int Features) ReadImages(string name, int count)
        {
            using var stream = Open(name, 0x00000803);
            int available = ReadInt(stream, name), rows = ReadInt(stream, name), columns = ReadInt(stream, name);
            Assert.True(available >= count, $"{name} holds {available} images; the smoke test needs {count}.");
            var bytes = new byte[count * rows * columns];
            stream.ReadExactly(bytes);
            return (bytes.Select(b => b / 256f).ToArray(), rows * columns);
        }

        private static long[] ReadLabels(string name, int count)
        {
            using var stream = Open(name, 0x00000801);
            int available = ReadInt(stream, name);
            Assert.True(available >= count, $"{name} holds {available} labels; the smoke test needs {count}.");
            var bytes = new byte[count];
            stream.ReadExactly(bytes);
            return bytes.Select(b => (long)b).ToArray();
        }

        private static GZipStream Open(string name, int magic)
        {
            string path = Path.Combine(Folder, name);
            Assert.True(File.Exists(path), $"{path} not found: install Fashion-MNIST (./test.sh installs the dataset-fashion-mnist package).");
            var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            int found = ReadInt(stream, name);
            Assert.True(found == magic, $"{path}: IDX magic 0x{found:X8}, expected 0x{magic:X8} (not a Fashion-MNIST IDX file?).");
            return stream;
        }

        private static int ReadInt(Stream stream, string name)
        {
            Span<byte> buffer = stackalloc byte[4];
            stream.ReadExactly(buffer);
            return BinaryPrimitives.ReadInt32BigEndian(buffer);
        }
    }
}
