using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The "Examples:" section every `--help` ends with: commands a person can copy, one per line, each with what it does.
/// Kept in one table keyed by the command's path so the commands' own files stay about their options.
/// </summary>
internal static class HelpExamples
{
    private static readonly Dictionary<string, (string Command, string What)[]> Table = new(StringComparer.Ordinal)
    {
        ["scratchnet"] =
        [
            ("./scratchnet reproduce", "every experiment, figure and number of the report"),
            ("./scratchnet classify mlp --epochs 5", "train the MLP on Fashion-MNIST for 5 epochs"),
            ("./scratchnet regress linear", "linear regression on Ames, beside the ridge solution"),
            ("./scratchnet classify --help", "every option of a command, with its default"),
        ],
        ["scratchnet data"] =
        [
            ("./scratchnet data info", "where each data set was found, and whether it checks out"),
            ("./scratchnet data fetch", "download Fashion-MNIST into ./data/fashion-mnist"),
        ],
        ["scratchnet data info"] = [("./scratchnet data info", "where each data set was found, shapes and checksums")],
        ["scratchnet data fetch"] = [("./scratchnet data fetch --data-dir ~/data", "download Fashion-MNIST into ~/data")],
        ["scratchnet calculus"] =
        [
            ("./scratchnet calculus", "check every derivation of Questions 1 and 2.1 on 1000 random points"),
            ("./scratchnet calculus --points 50 --json", "a quick check, machine-readable"),
        ],
        ["scratchnet regress"] =
        [
            ("./scratchnet regress linear", "Question 2: 150 epochs of per-example SGD, then ‖ŵ − w‖ to the ridge solution"),
            ("./scratchnet regress neural --hidden 64 --epochs 50", "a smaller neural regressor, shorter"),
            ("./scratchnet regress linear --lambda 0.01 --out runs/ridge", "another ridge λ, into a named folder"),
        ],
        ["scratchnet classify"] =
        [
            ("./scratchnet classify logistic", "Question 3: logistic regression, 20 epochs of per-example SGD"),
            ("./scratchnet classify mlp --epochs 5 --precision float32 --threads 2", "a faster MLP run on both cores"),
            ("./scratchnet classify mlp --preset q4 --optimizer adam --lr 0.001", "Question 4 settings on TorchSharp, with Adam"),
            ("./scratchnet classify mlp --epochs 2 --limit 1000", "a smoke run on 1000 training examples"),
        ],
        ["scratchnet reproduce"] =
        [
            ("./scratchnet reproduce", "the whole report on the scratch engine (about 7 minutes on 2 cores)"),
            ("./scratchnet reproduce --quick", "a labelled smoke run, under a minute"),
            ("./scratchnet reproduce --engines scratch,torch", "the Q4 studies on TorchSharp too (over an hour)"),
            ("./scratchnet reproduce --list", "the plan, one command per run, without training"),
        ],
        ["scratchnet sweep"] =
        [
            ("./scratchnet sweep mlp --grid lr=0.001,0.01 --grid hidden=100,200",
                "3 runs one-at-a-time: the q3 base (lr 0.001, hidden 200), lr=0.01 alone, hidden=100 alone"),
            ("./scratchnet sweep mlp --grid lr=0.001,0.01 --grid hidden=100,200 --mode grid", "4 runs: every combination of 2 lr × 2 hidden"),
            ("./scratchnet sweep logistic --grid lr=0.0001,0.001,0.01 --epochs 5 --limit 5000", "a quick learning-rate scan"),
            ("./scratchnet sweep mlp --grid lr=0.001,0.01 --emit-jobs jobs/jobs.txt", "write the commands for GNU parallel or Slurm instead"),
        ],
        ["scratchnet report"] =
        [
            ("./scratchnet report --runs runs/ --out my-report", "figures and a report from your own run folders"),
            ("./scratchnet report --runs reproduce/runs sweep/runs --skip-bad", "several folders; unreadable runs left out"),
        ],
        ["scratchnet bench"] =
        [
            ("./scratchnet bench", "the full speed table (several minutes)"),
            ("./scratchnet bench --quick --skip-reproduce", "a smoke run of the benchmark itself"),
        ],
        ["scratchnet export"] =
        [
            ("./scratchnet export runs/mlp-20261204-103000 --format onnx", "model.onnx beside the run, for ONNX Runtime"),
            ("./scratchnet export runs/mlp-20261204-103000 --format pt --out mlp.pt", "a PyTorch state dict (see docs/export.md)"),
        ],
        ["scratchnet predict"] =
        [
            ("./scratchnet predict runs/mlp-20261204-103000 shoe.jpg --invert", "the top 3 classes of a photo (dark garment, light background)"),
            ("./scratchnet predict runs/mlp-20261204-103000 /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --range 0:5", "the first 5 test images"),
        ],
        ["scratchnet version"] = [("./scratchnet version", "ScratchNet, .NET and OS versions (for a bug report)")],
    };

    /// <summary>The examples of the command at <paramref name="path"/> (e.g. <c>scratchnet classify</c>), none when it has none.</summary>
    public static IReadOnlyList<(string Command, string What)> For(string path) => Table.TryGetValue(path, out var examples) ? examples : [];

    /// <summary>Makes <paramref name="help"/> print the command's examples after the usual help text.</summary>
    public static HelpOption WithExamples(this HelpOption help)
    {
        help.Action = new Action((HelpAction)help.Action!);
        return help;
    }

    /// <summary>True when the command line asks for help (then a missing argument is no error: `classify --help`).</summary>
    public static bool IsHelp(ParseResult parse) => parse.Action is Action or HelpAction;

    private sealed class Action(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = standard.Invoke(parseResult);
            var examples = For(CommandPath(parseResult));
            if (examples.Count == 0)
                return code;
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var (command, what) in examples)
            {
                output.WriteLine($"  {command}");
                output.WriteLine($"      {what}");
            }
            output.WriteLine();
            return code;
        }
    }

    /// <summary>The names from the root to the parsed command, e.g. <c>scratchnet data info</c>.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
