using System.Globalization;
using System.Text.Json;
using ScratchNet.Benchmarking;

namespace ScratchNet.Tests.Benchmarking;

/// <summary>`scratchnet bench`: option validation, and the --quick smoke run end to end on real Fashion-MNIST.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-bench-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("--reps", "0", "--reps 0 is out of range: expected an integer from 1 to 100")]
    [InlineData("--examples", "50001", "--examples 50001 is out of range: expected an integer from 1 to 50000")]
    [InlineData("--torch-batch1-examples", "0", "--torch-batch1-examples 0 is out of range")]
    [InlineData("--threads", "1,0", "--threads '0' is out of range: expected comma-separated integers from 1 to 64")]
    [InlineData("--threads", ",", "--threads is empty")]
    [InlineData("--batches", "16,x", "--batches 'x' is out of range: expected comma-separated integers from 1 to 4096")]
    [InlineData("--out", " ", "--out is empty")]
    [InlineData("--reproduce", "all", "--reproduce 'all' is not a choice: expected quick (the default) or full")]
    public void Bad_options_exit_2_naming_the_option_and_its_range_before_any_work(string option, string value, string message)
    {
        var output = Path.Combine(_root, "never");
        string[] args = option == "--out" ? ["bench", "--out", value] : ["bench", option, value, "--out", output];

        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "nothing may be written for a rejected command");
    }

    [Fact]
    public void An_out_folder_that_cannot_be_created_is_refused_before_the_run()
    {
        var blocker = Path.Combine(_root, "a-file");
        File.WriteAllText(blocker, "not a folder");

        var (code, _, error) = CliRunner.Run("bench", "--quick", "--skip-reproduce", "--out", Path.Combine(blocker, "results"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("cannot be created", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_full_reproduce_row_is_opt_in_and_cannot_be_combined_with_skipping_it()
    {
        Assert.False(BenchSettings.Resolve(null, null, null, "1", "1", "out", skipReproduce: false, quick: false, dataDir: null).ReproduceFull);
        Assert.True(BenchSettings.Resolve(null, null, null, "1", "1", "out", skipReproduce: false, quick: false, dataDir: null, reproduce: "full").ReproduceFull);

        var (code, _, error) = CliRunner.Run("bench", "--reproduce", "full", "--skip-reproduce", "--out", Path.Combine(_root, "never"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--reproduce full and --skip-reproduce contradict each other: drop one.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "never")));
    }

    [Fact]
    public void Quick_lowers_only_the_counts_not_given()
    {
        var quick = BenchSettings.Resolve(null, null, null, "2", "64,16,64", "out", skipReproduce: true, quick: true, dataDir: null);
        var given = BenchSettings.Resolve(4, 1000, 9000, "1,2", "1", "out", skipReproduce: false, quick: true, dataDir: null);

        Assert.Equal((1, 256, 64), (quick.Reps, quick.Examples, quick.TorchBatch1Examples));
        Assert.Equal([2], quick.Threads);
        Assert.Equal([64, 16], quick.Batches); // order kept, duplicate dropped
        Assert.Equal((4, 1000, 1000), (given.Reps, given.Examples, given.TorchBatch1Examples)); // torch batch 1 capped at --examples
        Assert.Equal(["scratch/float32/1/1/1000", "scratch/float64/1/1/1000", "torch/float32/1/1/1000",
            "scratch/float32/1/2/1000", "scratch/float64/1/2/1000", "torch/float32/1/2/1000", "scratch adam/float32/1/1/1000",
            "scratch adam/float32/1/2/1000", "scratch q4/float32/1/1/1000", "scratch q4/float32/1/2/1000"],
            BenchRunner.CasesFor(given).Select(c => $"{c.EngineLabel}/{c.Precision}/{c.Batch}/{c.Threads}/{c.ExamplesTimed}"));
    }

    [Fact]
    public void Quick_run_writes_a_csv_and_json_row_for_every_engine_precision_batch_and_thread_count()
    {
        var output = Path.Combine(_root, "results");

        var (code, stdout, error) = CliRunner.Run("bench", "--quick", "--skip-reproduce", "--out", output);

        Assert.True(code == 0, error);
        Assert.Contains("QUICK smoke run", stdout, StringComparison.Ordinal);
        Assert.Contains("reproduce --quick: skipped", stdout, StringComparison.Ordinal);
        var expected = (from batch in new[] { 1, 16, 64, 256 }
                        from threads in new[] { 1, 2 }
                        from engine in new[] { "scratch/float32", "scratch/float64", "torch/float32" }
                        select $"{engine}/{batch}/{threads}").Concat(["scratch adam/float32/1/1", "scratch adam/float32/1/2"]) // issue 16's per-example Adam rows
                        .Concat(["scratch q4/float32/1/1", "scratch q4/float32/1/2"]).ToArray(); // and its q4 SGD-with-dropout rows

        var csv = File.ReadAllLines(Assert.Single(Directory.GetFiles(output, "bench-*.csv")));
        var header = csv[0].Split(',');
        Assert.Equal(expected.Length + 1, csv.Length);
        var fields = csv.Skip(1).Select(line => SplitCsv(line)).ToArray();
        Assert.All(fields, f => Assert.Equal(header.Length, f.Length));
        Assert.Equal(expected, fields.Select(f => $"{f[0]}/{f[1]}/{f[2]}/{f[3]}"));
        foreach (var column in new[] { "seconds_per_epoch_median", "seconds_min", "seconds_max", "examples_per_second", "gflops", "percent_of_ceiling" })
            Assert.All(fields, f => AssertFinitePositive(f[Array.IndexOf(header, column)], column));
        Assert.All(fields.Where(f => f[0] == "scratch"), f => AssertFinitePositive(f[Array.IndexOf(header, "scratch_over_torch")], "scratch_over_torch"));
        var verdicts = fields.Select(f => f[Array.IndexOf(header, "verdicts")]).ToArray();
        Assert.All(verdicts[0].Split("; "), v => Assert.Contains(v, new[] { "met", "missed" })); // scratch float32 batch 1: time and ratio
        Assert.Equal(2, verdicts[0].Split("; ").Length);
        Assert.All(fields.Where(f => f[0] == "torch"), f => Assert.Equal("", f[Array.IndexOf(header, "verdicts")]));
        var adam = fields.Where(f => f[0] == "scratch adam").ToArray(); // one thread: ≤ 5 s only; two: not slower than one
        Assert.Equal(["≤ 5 s", "not slower than 1 thread"], adam.Select(f => f[Array.IndexOf(header, "targets")]));
        Assert.All(adam, f => Assert.Contains(f[Array.IndexOf(header, "verdicts")], new[] { "met", "missed" }));

        using var json = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(output, "bench-*.json"))));
        var root = json.RootElement;
        Assert.True(root.GetProperty("quick").GetBoolean());
        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(expected, rows.Select(r => $"{r.GetProperty("engine").GetString()}/{r.GetProperty("precision").GetString()}/{r.GetProperty("batch").GetInt32()}/{r.GetProperty("threads").GetInt32()}"));
        Assert.All(rows, r => Assert.True(r.GetProperty("secondsPerEpochMedian").GetDouble() > 0));
        var libraries = root.GetProperty("gemm").GetProperty("libraries").EnumerateArray().ToArray();
        Assert.Equal([GemmCeilingBenchmark.TorchLibrary, GemmCeilingBenchmark.OpenBlasLibrary, GemmCeiling.ScratchNetLibrary],
            libraries.Select(l => l.GetProperty("library").GetString()));
        Assert.True(libraries[0].GetProperty("gflops").GetDouble() > 0, "libtorch ships with the CLI, so its GEMM must run");
        Assert.True(libraries[2].GetProperty("gflops").GetDouble() > 0);
        Assert.Equal(["float32", "float64"], root.GetProperty("evaluationMilliseconds").EnumerateArray().Select(e => e.GetProperty("precision").GetString()));
        Assert.All(root.GetProperty("evaluationMilliseconds").EnumerateArray(), e => Assert.True(e.GetProperty("median").GetDouble() > 0));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reproduceQuick").ValueKind);
    }

    private static void AssertFinitePositive(string field, string column)
    {
        Assert.True(double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0,
            $"{column} = '{field}' is not a finite positive number");
    }

    // the targets column is the only quoted one
    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"')
                quoted = !quoted;
            else if (ch == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(ch);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }
}
