using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Data;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet data info|fetch`: where the data sets are, whether they verify, and how to get them.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Inspect (info) or download (fetch) the data sets.");
        command.Subcommands.Add(CreateInfo());
        command.Subcommands.Add(CreateFetch());
        return command;
    }

    private static Option<string?> DataDirOption(string description) => new("--data-dir") { Description = description, HelpName = "DIR" };

    private static Command CreateInfo()
    {
        var paths = new DataPathOptions("Look only in DIR (and DIR/fashion-mnist, DIR/ames) [default: search SCRATCHNET_DATA, ./data, the system folder and the repository's bundled data/ames]");
        var info = new Command("info", "Where each data set was found, its shapes, checksums, class balance (Fashion-MNIST) and y range (Ames). Exit code 3 when one is missing or bad.");
        paths.AddTo(info);
        info.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var locator = paths.Locator(parse);
            var fashionOk = Report(output, "Fashion-MNIST", () => PrintFashionMnist(output, locator));
            output.WriteLine();
            var amesOk = Report(output, "Ames Housing", () => PrintAmes(output, locator));
            return fashionOk && amesOk ? ExitCodes.Ok : ExitCodes.Data;
        });
        return info;
    }

    private static bool Report(TextWriter output, string dataset, Action print)
    {
        try
        {
            print();
            return true;
        }
        catch (DataException e)
        {
            output.WriteLine($"{dataset}: NOT AVAILABLE");
            output.WriteLine($"  {SettingFlags.Message(e)}");
            return false;
        }
    }

    private static void PrintFashionMnist(TextWriter output, DataLocator locator)
    {
        var clock = Stopwatch.StartNew();
        var data = FashionMnist.LoadFrom(locator);
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"Fashion-MNIST: {data.Directory}");
        output.WriteLine(Invariant($"  loaded, verified and split in {seconds:F2} s"));
        foreach (var file in data.Files)
            output.WriteLine($"  {Path.GetFileName(file.Path),-28} sha256 {file.Sha256}  {(file.Verified ? "ok (matches the reference)" : "not checked")}");
        output.WriteLine($"  split (numpy RandomState({FashionMnist.SplitSeed}).permutation): train {Shape(data.Train)}, dev {Shape(data.Dev)}, test {Shape(data.Test)}; pixels are bytes, scaled by 1/256 when read");
        output.WriteLine($"  {"class",-16} {"train",7} {"dev",7} {"test",7}");
        var (train, dev, test) = (data.Train.ClassCounts(), data.Dev.ClassCounts(), data.Test.ClassCounts());
        for (var label = 0; label < FashionMnist.Classes; label++)
            output.WriteLine($"  {label + " " + FashionMnistFiles.ClassNames[label],-16} {train[label],7} {dev[label],7} {test[label],7}");
    }

    private static void PrintAmes(TextWriter output, DataLocator locator)
    {
        var ames = AmesHousing.LoadFrom(locator);
        var npz = ames.Source.EndsWith(".npz", StringComparison.Ordinal);
        output.WriteLine($"Ames Housing: {ames.Source}");
        output.WriteLine(npz
            ? $"  the course's matrices, read as they are (no CSV beside it to rebuild them from)"
            : $"  De Cock's raw data, turned into the course's matrices by the CSV pipeline");
        var check = npz ? "not checked (the reference checksum is of De Cock's CSV)"
            : ames.Verified ? "ok (matches De Cock's AmesHousing.csv, data/ames/README.md)"
            : $"DIFFERS from De Cock's AmesHousing.csv ({AmesHousing.ReferenceSha256}): results will not match the report";
        output.WriteLine($"  sha256 {ames.Sha256}{(ames.Source.EndsWith(".gz", StringComparison.Ordinal) ? " (decompressed)" : "")}  {check}");
        if (ames.CrossCheckedNpz is { } crossChecked)
            output.WriteLine($"  {crossChecked}: cross-checked, bit-identical to the pipeline's matrices");
        output.WriteLine($"  train {ames.Train.Count} x {ames.Train.FeatureCount}, test {ames.Test.Count} x {ames.Test.FeatureCount} (linear models add a bias column)");
        output.WriteLine(Invariant($"  y = ln(SalePrice): train [{Min(ames.Train.Targets):F4}, {Max(ames.Train.Targets):F4}], test [{Min(ames.Test.Targets):F4}, {Max(ames.Test.Targets):F4}]"));
    }

    private static Command CreateFetch()
    {
        var dataDir = DataDirOption("Write the Fashion-MNIST files into DIR [default: ./data/fashion-mnist]");
        var fetch = new Command("fetch", $"Download Fashion-MNIST from {FashionMnistFiles.DownloadBaseUrl} (checksums verified, written atomically). Ames needs no download: the repository bundles it.");
        fetch.Options.Add(dataDir);
        fetch.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var directory = parse.GetValue(dataDir) ?? FashionMnistDownloader.DefaultDirectory(Directory.GetCurrentDirectory());
            using var http = FashionMnistDownloader.CreateHttpClient();
            var downloader = new FashionMnistDownloader(http, FashionMnistDownloader.DefaultBaseUri);
            await downloader.FetchAsync(directory, line => output.WriteLine($"  {line}"), cancellation).ConfigureAwait(false);
            output.WriteLine($"Fashion-MNIST: ready in {Path.GetFullPath(directory)}");
            output.WriteLine("Ames Housing: nothing to download; the repository bundles it (data/ames/AmesHousing.csv.gz).");
            return ExitCodes.Ok;
        });
        return fetch;
    }

    private static string Shape(LabeledImages images) => $"{images.Count} x {images.Features}";

    private static double Min(ReadOnlySpan<double> values) => values.IsEmpty ? double.NaN : System.Numerics.Tensors.TensorPrimitives.Min(values);

    private static double Max(ReadOnlySpan<double> values) => values.IsEmpty ? double.NaN : System.Numerics.Tensors.TensorPrimitives.Max(values);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
