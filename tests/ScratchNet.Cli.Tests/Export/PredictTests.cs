using System.Text.Json;
using ScratchNet.Export;
using ScratchNet.Runs;
using SkiaSharp;

namespace ScratchNet.Tests.Export;

/// <summary>`predict` on PNGs made from test images, on photo-like pictures (enlarged, coloured, dark on light), on an IDX range, and on bad files.</summary>
[Collection(ExportRunsCollection.Name)]
public sealed class PredictTests(ExportRuns runs)
{
    private const string Run = "mlp-relu-dropout";

    [Fact]
    public void A_png_of_a_test_image_gets_scratchnets_prediction_and_probabilities()
    {
        var run = runs.Run(Run);
        var model = SavedModel.Load(run);
        var test = ExportRuns.TestImages();
        var expected = ExportRuns.ScratchNetPredictions(run);
        var files = Enumerable.Range(0, 12).Select(i => WritePng($"test-{i}.png", 28, 28, (x, y) => Grey(test.Pixels(i)[y * 28 + x]))).ToArray();

        var (code, output, error) = CliRunner.Run(["predict", run, .. files, "--json"]);

        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(files.Length, lines.Length);
        for (var i = 0; i < files.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal(files[i], json.RootElement.GetProperty("source").GetString());
            Assert.Equal(expected[i], json.RootElement.GetProperty("label").GetInt32());
            var probabilities = SavedModel.Softmax(model.Forward(model.ScalePixels(test.Pixels(i))));
            var top = json.RootElement.GetProperty("top").EnumerateArray().ToArray();
            Assert.Equal(3, top.Length);
            foreach (var entry in top)
                Assert.Equal(probabilities[entry.GetProperty("label").GetInt32()], entry.GetProperty("probability").GetDouble(), 12);
        }
    }

    [Fact]
    public void A_photo_like_picture_is_fitted_centred_and_inverted_back_to_the_test_image()
    {
        var test = ExportRuns.TestImages();
        // The garment ten times larger, dark on a white background, in a brown tint of the same luminance.
        var original = test.Pixels(0).ToArray();
        var photo = WritePng("photo-square.png", 280, 280, (x, y) => Tinted(255 - original[y / 10 * 28 + x / 10]));

        var prepared = ImagePreparation.FromFile(photo, invert: true);

        var worst = Enumerable.Range(0, 784).Max(j => Math.Abs(prepared[j] - original[j]));
        Assert.True(worst <= 2, $"the prepared image differs from the test image by up to {worst} grey levels");
        Assert.NotEqual(original, ImagePreparation.FromFile(photo, invert: false));
    }

    [Fact]
    public void Predict_classifies_a_wide_coloured_photo_as_the_test_image_it_shows()
    {
        var run = runs.Run(Run);
        var model = SavedModel.Load(run);
        var test = ExportRuns.TestImages();
        // Confidently classified test images (ScratchNet's probability above 0.95), shown in wide photos.
        var confident = Enumerable.Range(0, test.Count)
            .Select(i => (Index: i, Probabilities: SavedModel.Softmax(model.Forward(model.ScalePixels(test.Pixels(i))))))
            .Where(c => c.Probabilities.Max() > 0.95).Take(4).ToArray();
        Assert.Equal(4, confident.Length);
        foreach (var (index, probabilities) in confident)
        {
            var original = test.Pixels(index).ToArray();
            // 280×280 garment in the middle of a 308-wide white photo (fitted to 28: 25 rows, centred with a dark band above and below)
            var photo = WritePng($"photo-wide-{index}.png", 308, 280,
                (x, y) => x < 14 || x >= 294 ? Tinted(255) : Tinted(255 - original[y / 10 * 28 + (x - 14) / 10]));
            var prepared = ImagePreparation.FromFile(photo, invert: true);
            Assert.All(prepared.AsSpan(0, 28).ToArray(), p => Assert.Equal(0, p));                 // top row: the dark canvas
            Assert.All(prepared.AsSpan(27 * 28, 28).ToArray(), p => Assert.Equal(0, p));           // bottom row

            var (code, output, error) = CliRunner.Run("predict", run, photo, "--invert");
            Assert.True(code == 0, error);
            var best = Array.IndexOf(probabilities, probabilities.Max());
            Assert.StartsWith($"{photo}: {model.ClassNames[best]} ", output);
        }
    }

    [Fact]
    public void Predict_reads_an_idx_range()
    {
        var run = runs.Run(Run);
        var expected = ExportRuns.ScratchNetPredictions(run);
        var names = SavedModel.Load(run).ClassNames;
        var idx = Path.Combine(Data.RealData.RequireFashionMnist(), "t10k-images-idx3-ubyte.gz");

        var (code, output, error) = CliRunner.Run("predict", run, idx, "--range", "5:9");

        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        for (var i = 0; i < 4; i++)
            Assert.StartsWith($"{idx}[{5 + i}]: {names[expected[5 + i]]} ", lines[i]);
    }

    [Fact]
    public void Bad_images_and_a_regressor_run_get_one_line_each()
    {
        var run = runs.Run(Run);
        var good = File.ReadAllBytes(WritePng("good.png", 40, 30, (x, y) => new SKColor(200, 10, 10)));
        var cases = new Dictionary<string, byte[]>
        {
            ["empty.png"] = [],
            ["truncated.png"] = good[..(good.Length / 2)],
            ["text.png"] = "not a picture\n"u8.ToArray(),
        };
        foreach (var (name, content) in cases)
        {
            var path = Path.Combine(runs.Root, name);
            File.WriteAllBytes(path, content);
            var (code, output, error) = CliRunner.Run("predict", run, path);
            Assert.True(code == ExitCodes.Data, $"{name}: exit {code}, {error}");
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains(path, error);
            Assert.Empty(output);
        }

        var regressor = CliRunner.Run("predict", runs.Run("linear"), Path.Combine(runs.Root, "good.png"));
        Assert.Equal(ExitCodes.Usage, regressor.Code);
        Assert.Single(regressor.Error.Trim().Split('\n'));
        Assert.Contains("regressor", regressor.Error);
    }

    private static SKColor Grey(byte level) => new(level, level, level);

    // A colour whose BT.601 luminance is the level to ±0.5: red lifted by d, green lowered by d·0.299/0.587 (grey near black).
    private static SKColor Tinted(int level)
    {
        if (level < 12)
            return Grey((byte)level);
        var red = Math.Min(255, level + 24);
        var green = level - (int)Math.Round((red - level) * 0.299 / 0.587);
        return new SKColor((byte)red, (byte)green, (byte)level);
    }

    private string WritePng(string name, int width, int height, Func<int, int, SKColor> pixel)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, pixel(x, y));
        var path = Path.Combine(runs.Root, name);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }
}
