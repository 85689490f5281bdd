using ScratchNet.IO;
using ScratchNet.Tests.Data;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// Same seed, same bits, on every machine (README, "Reproducibility"; docs/kernels.md). Short real runs, each in a
/// child process, under the instruction sets the runtime can be told to leave unused — everything the hardware has,
/// no AVX-512, and neither AVX-512 nor AVX2 (128-bit vectors and no FMA instruction, as on pre-2013 x86-64; arm64 has
/// 128-bit NEON) — and with one and two threads, must write byte-identical model tensors, metrics (the timing column
/// aside) and test predictions. No kernel reads a cache size (blocking is fixed, docs/kernels.md), so there is no
/// cache size to vary.
/// </summary>
public sealed class MachineIndependenceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-machines-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>(name, environment, threads): the settings every run is repeated under. Each instruction-set setting
    /// and each thread count is varied alone against the first, and the costliest setting (SSE only: no FMA
    /// instruction, so every fused multiply-add is the runtime's software fallback) runs on two threads, so it checks
    /// both at once (three short runs in one process took 8.9 s of CPU under SSE only, 2.8 s by default).</summary>
    private static readonly (string Name, Dictionary<string, string> Environment, int Threads)[] Settings =
    [
        ("default", new(), 1),
        ("default-2-threads", new(), 2),
        ("no-avx512", new() { ["DOTNET_EnableAVX512F"] = "0" }, 1),
        ("sse-only-2-threads", new() { ["DOTNET_EnableAVX512F"] = "0", ["DOTNET_EnableAVX2"] = "0" }, 2),
    ];

    private static readonly string[] Small = ["--epochs", "1", "--limit", "160"];

    /// <summary>(name, arguments) of the short real runs; each runs under every setting.</summary>
    private static readonly (string Name, string[] Arguments)[] Runs =
    [
        ("perceptron-float32", ["classify", "perceptron", "--precision", "float32", .. Small]),
        ("perceptron-float64", ["classify", "perceptron", "--precision", "float64", .. Small]),
        ("logistic-float32", ["classify", "logistic", "--precision", "float32", .. Small]),
        ("logistic-float64", ["classify", "logistic", "--precision", "float64", .. Small]),
        // the course's per-example SGD (the fused first-layer kernels), float64
        ("mlp-float64-batch1", ["classify", "mlp", "--precision", "float64", "--hidden", "24", .. Small]),
        // per-example Adam with tanh and dropout, float32; 27 hidden units leave a scalar tail after the vectors at every width
        ("mlp-float32-batch1-adam-tanh-dropout", ["classify", "mlp", "--precision", "float32", "--hidden", "27", "--optimizer", "adam",
            "--activation", "tanh", "--dropout", "0.3", .. Small]),
        // reproduce's q4.2 settings on the scratch engine: per-example Adam with λ = 0, whose zero-gradient steps are
        // replayed in blocks of three vectors (PerExampleMlpAdam.TryZeroSteps3), 200 units, torch init and stream
        ("mlp-q4-adam-l2-0", ["classify", "mlp", "--preset", "q4", "--engine", "scratch", "--optimizer", "adam", "--lr", "0.001",
            "--l2", "0", .. Small]),
        // mini-batches (the GEMMs), torch's random stream
        ("mlp-float32-batch64-torch-stream", ["classify", "mlp", "--precision", "float32", "--hidden", "24", "--batch-size", "64", "--init", "torch",
            "--dropout", "0.3", "--stream", "torch", .. Small]),
        ("mlp-float64-batch64-adam-tanh", ["classify", "mlp", "--precision", "float64", "--hidden", "24", "--batch-size", "64",
            "--optimizer", "adam", "--activation", "tanh", .. Small]),
        ("regressor-float64", ["regress", "neural", "--epochs", "2", "--hidden", "16"]),
    ];

    /// <summary>
    /// One child process per setting runs every run (the CLI's hidden <c>--run-list</c> entry: the runs one after the
    /// other in one runtime, as separate processes would, without 45 process starts and JIT warm-ups); the settings'
    /// processes run side by side. Then each run's folder must match the first setting's.
    /// </summary>
    [Fact]
    public void Every_run_writes_the_same_bits_under_every_instruction_set_and_thread_count()
    {
        string fashion = RealData.RequireFashionMnist(), ames = RealData.RequireAmes();
        var children = new List<(string Setting, CliProcess Child)>();
        try
        {
            foreach (var (setting, environment, threads) in Settings)
            {
                var lines = Runs.Select(run => string.Join('\t', [.. run.Arguments,
                    run.Arguments[0] == "regress" ? "--ames" : "--fashion-mnist", run.Arguments[0] == "regress" ? ames : fashion,
                    "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--out", Folder(run.Name, setting)]));
                string list = Path.Combine(_root, $"runs-{setting}.txt");
                File.WriteAllLines(list, lines);
                children.Add((setting, CliProcess.Start(_root, ["--run-list", list], environment)));
            }
            foreach (var (setting, child) in children)
                Assert.True(child.WaitForExit(TimeSpan.FromMinutes(10)) == 0, $"the runs under {setting}: {child}");
        }
        finally
        {
            foreach (var (_, child) in children)
                child.Dispose();
        }

        foreach (var (name, _) in Runs)
        {
            var first = Fingerprint.Of(Folder(name, Settings[0].Name));
            foreach (var (setting, _, _) in Settings.Skip(1))
                first.AssertSame(Fingerprint.Of(Folder(name, setting)), $"{name}: {Settings[0].Name} vs {setting}");
        }
    }

    [Fact]
    public void The_run_list_runs_every_line_and_exits_with_the_first_failure()
    {
        // the entry the test above relies on: a bad line fails the list, and the lines after it still run
        string list = Path.Combine(_root, "list.txt");
        File.WriteAllLines(list, ["version", "classify\tmlp\t--epochs\t0", "version"]);
        var child = CliProcess.Run(_root, "--run-list", list);
        Assert.True(child.ExitCode != 0, child.ToString());
        Assert.Equal(3, child.Output.Split('\n').Count(line => line.StartsWith("run-list: exit ", StringComparison.Ordinal)));
        Assert.Contains("run-list: exit 0: version", child.Output, StringComparison.Ordinal);
    }

    private string Folder(string run, string setting) => Path.Combine(_root, $"{run}-{setting}");

    /// <summary>What a run folder holds that must not depend on the machine.</summary>
    private sealed record Fingerprint(IReadOnlyList<SafeTensor> Tensors, string Metrics, string Predictions)
    {
        public static Fingerprint Of(string folder)
        {
            var predictions = Path.Combine(folder, "test_predictions.csv");
            return new(SafeTensors.Read(Path.Combine(folder, RunFolder.ModelFile)),
                WithoutTimings(File.ReadAllLines(Path.Combine(folder, "metrics.csv"))),
                File.Exists(predictions) ? File.ReadAllText(predictions) : "");
        }

        public void AssertSame(Fingerprint other, string context)
        {
            Assert.Equal(Tensors.Select(t => t.Name), other.Tensors.Select(t => t.Name));
            for (int i = 0; i < Tensors.Count; i++)
            {
                Assert.Equal(Tensors[i].Shape, other.Tensors[i].Shape);
                int differing = Tensors[i].Data.Zip(other.Tensors[i].Data).Count(pair => pair.First != pair.Second);
                Assert.True(differing == 0, $"{context}: tensor {Tensors[i].Name} differs in {differing} bytes");
            }
            Assert.True(Metrics == other.Metrics, $"{context}: metrics.csv differs\n{Metrics}\n---\n{other.Metrics}");
            Assert.True(Predictions == other.Predictions, $"{context}: test_predictions.csv differs");
        }

        // metrics.csv without its "seconds" column (wall time is the one machine-dependent number)
        private static string WithoutTimings(string[] lines)
        {
            int seconds = Array.IndexOf(lines[0].Split(','), "seconds");
            return string.Join('\n', lines.Select(line =>
                string.Join(',', line.Split(',').Where((_, column) => column != seconds))));
        }
    }
}
