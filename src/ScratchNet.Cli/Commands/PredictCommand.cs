using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Export;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet predict RUN IMAGE... [--invert] [--range A:B] [--json]`: a trained classifier on the user's images.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A finished classifier run folder (or its model.safetensors)." };
        var images = new Argument<string[]>("images")
        {
            Description = "PNG or JPEG files (any size, colour or grey), or one IDX images file (e.g. t10k-images-idx3-ubyte.gz) with --range.",
            Arity = ArgumentArity.OneOrMore,
        };
        var invert = new Option<bool>("--invert")
        {
            Description = "The images show a dark garment on a light background (most photos): invert them. Without it they must look like "
                + "Fashion-MNIST: a light garment on a dark background. Either way the longest side is fitted to 28 pixels and the image centred.",
        };
        var range = new Option<string?>("--range") { Description = "Images of an IDX file to classify, as START:END (END excluded) [default: 0:10]", HelpName = "START:END" };
        var json = new Option<bool>("--json") { Description = "One JSON object per image (source, index, top 3 classes with probabilities) instead of text." };
        var command = new Command("predict", "Classify images with a trained classifier: the top 3 classes with their probabilities.") { run, images, invert, range, json };
        command.SetAction(parse =>
        {
            var model = SavedModel.Load(parse.GetValue(run)!);
            if (!model.IsClassifier)
                throw new UsageException($"{model.Source} is a {model.Model} regressor (Ames Housing prices), not an image classifier: pass the folder of a classify run.");
            var output = parse.InvocationConfiguration.Output;
            var asJson = parse.GetValue(json);
            foreach (var (source, index, pixels) in Inputs(parse.GetValue(images)!, parse.GetValue(invert), parse.GetValue(range)))
            {
                var probabilities = SavedModel.Softmax(model.Forward(model.ScalePixels(pixels)));
                var top = Enumerable.Range(0, probabilities.Length).OrderByDescending(k => probabilities[k]).ThenBy(k => k).Take(3).ToArray();
                output.WriteLine(asJson ? Json(source, index, top, probabilities, model.ClassNames) : Text(source, index, top, probabilities, model.ClassNames));
            }
            return 0;
        });
        return command;
    }

    private static IEnumerable<(string Source, int? Index, byte[] Pixels)> Inputs(string[] paths, bool invert, string? range)
    {
        var idx = paths.Where(IsIdx).ToArray();
        if (idx.Length > 0 && paths.Length > 1)
            throw new UsageException($"{idx[0]} is an IDX file: pass it alone (with --range), or pass image files only.");
        if (idx.Length == 0 && range is not null)
            throw new UsageException("--range selects images of an IDX file; pass one (e.g. /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz).");
        if (idx.Length == 0)
            return paths.Select(path => (path, (int?)null, ImagePreparation.FromFile(path, invert)));
        var array = IdxReader.Read(idx[0], dimensions: 3, "pass an IDX images file such as t10k-images-idx3-ubyte.gz");
        if (array.Dimensions[1] != ImagePreparation.Side || array.Dimensions[2] != ImagePreparation.Side)
            throw new DataException($"{idx[0]} holds {array.Dimensions[1]}x{array.Dimensions[2]} images; the model takes 28x28. Pass a Fashion-MNIST images file.");
        var count = array.Dimensions[0];
        var (start, end) = ParseRange(range ?? "0:10", count);
        const int size = ImagePreparation.Side * ImagePreparation.Side;
        return Enumerable.Range(start, end - start).Select(i => (idx[0], (int?)i, array.Data.AsSpan(i * size, size).ToArray()));
    }

    // An IDX file starts with two zero bytes (or is gzip-compressed: 1f 8b).
    private static bool IsIdx(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            var read = file.Read(head);
            return read == 4 && ((head[0] == 0 && head[1] == 0 && head[2] == 8) || (head[0] == 0x1f && head[1] == 0x8b && path.Contains("idx", StringComparison.OrdinalIgnoreCase)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot read ({e.Message}). Check the path.", e);
        }
    }

    private static (int Start, int End) ParseRange(string text, int count)
    {
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end) && start < end && end <= count)
            return (start, end);
        throw new UsageException($"--range {text} is not valid: expected START:END with 0 ≤ START < END ≤ {count} (the file's image count).");
    }

    private static string Name(string source, int? index) => index is { } i ? $"{source}[{i}]" : source;

    private static string Text(string source, int? index, int[] top, double[] probabilities, IReadOnlyList<string> names) =>
        $"{Name(source, index)}: " + string.Join(", ", top.Select(k => $"{names[k]} {probabilities[k].ToString("0.000", CultureInfo.InvariantCulture)}"));

    private static string Json(string source, int? index, int[] top, double[] probabilities, IReadOnlyList<string> names) =>
        JsonSerializer.Serialize(new
        {
            source,
            index,
            predicted = names[top[0]],
            label = top[0],
            top = top.Select(k => new { @class = names[k], label = k, probability = probabilities[k] }),
        });
}
