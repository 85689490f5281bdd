using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ScratchNet.Randomness;
using ScratchNet.Training;

namespace ScratchNet.Tests.Models;

/// <summary>
/// The course's data sets for the acceptance tests, read where they live (never copied into the repo):
/// Fashion-MNIST from the Debian package's IDX files, split as the course did (dev = RandomState(42).permutation
/// rows 0..9999, train = the rest, in permutation order), and the course's ames.npz. Loaded once per test class.
/// </summary>
public sealed class CourseData
{
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    private readonly Lazy<(ImageExamples Train, ImageExamples Dev, ImageExamples Test)> _fashion = new(LoadFashionMnist);
    private readonly Lazy<(RegressionExamples Train, RegressionExamples Test)> _ames = new(LoadAmes);

    public (ImageExamples Train, ImageExamples Dev, ImageExamples Test) FashionMnist => _fashion.Value;
    public (RegressionExamples Train, RegressionExamples Test) Ames => _ames.Value;

    private static (ImageExamples, ImageExamples, ImageExamples) LoadFashionMnist()
    {
        var trainPixels = ReadIdx("train-images-idx3-ubyte.gz", 2051, 60000 * 784);
        var trainLabels = ReadIdx("train-labels-idx1-ubyte.gz", 2049, 60000);
        var testPixels = ReadIdx("t10k-images-idx3-ubyte.gz", 2051, 10000 * 784);
        var testLabels = ReadIdx("t10k-labels-idx1-ubyte.gz", 2049, 10000);
        var permutation = new NumpyRandomState(42).Permutation(60000);
        ImageExamples Rows(int from, int to)
        {
            var pixels = new byte[(to - from) * 784];
            var labels = new byte[to - from];
            for (var i = from; i < to; i++)
            {
                trainPixels.AsSpan(permutation[i] * 784, 784).CopyTo(pixels.AsSpan((i - from) * 784));
                labels[i - from] = trainLabels[permutation[i]];
            }
            return new ImageExamples(pixels, labels, 784, 10);
        }
        return (Rows(10000, 60000), Rows(0, 10000), new ImageExamples(testPixels, testLabels, 784, 10));
    }

    private static byte[] ReadIdx(string name, int magic, int payload)
    {
        var path = Path.Combine(FashionMnistDirectory, name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: install it with 'sudo apt-get install dataset-fashion-mnist'.");
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var header = new byte[magic == 2051 ? 16 : 8];
        stream.ReadExactly(header);
        Assert.Equal(magic, BinaryPrimitives.ReadInt32BigEndian(header));
        var data = new byte[payload];
        stream.ReadExactly(data);
        return data;
    }

    private static (RegressionExamples, RegressionExamples) LoadAmes()
    {
        var path = FindAmes();
        using var zip = ZipFile.OpenRead(path);
        double[] Array(string name, int rows, int columns)
        {
            using var stream = zip.GetEntry(name + ".npy")!.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
            Assert.Contains("'descr': '<f8'", header, StringComparison.Ordinal);
            Assert.Contains("'fortran_order': False", header, StringComparison.Ordinal);
            var shape = Regex.Match(header, @"'shape': \((\d+), (\d+)\)");
            Assert.Equal((rows, columns), (int.Parse(shape.Groups[1].Value), int.Parse(shape.Groups[2].Value)));
            return MemoryMarshal.Cast<byte, double>(bytes.AsSpan(10 + headerLength, rows * columns * 8)).ToArray();
        }
        return (new RegressionExamples(Array("Xtrain", 1465, 348), Array("ytrain", 1465, 1), 348),
                new RegressionExamples(Array("Xtest", 1465, 348), Array("ytest", 1465, 1), 348));
    }

    private static string FindAmes()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "datasets", "ames", "ames.npz");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("ames.npz not found in any parent folder's shared/datasets/ames/: put the course's ames.npz there.");
    }
}
