using ScratchNet.Tests.Data;
using static ScratchNet.Tests.Reliability.BrokenCase;
using static ScratchNet.Tests.Reliability.BrokenInputFixtures;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// The broken-input table: options out of range. The data folder of the range checks does not exist, so a check that ran
/// after the data were looked for would exit 3 instead of 2: the exit code proves the option was refused before any work.
/// </summary>
internal static partial class BrokenInputCases
{
    private static BrokenCase Usage(string name, string[] fragments, Func<TempDirectory, Func<(int, string)>> build) =>
        new(name, ExitCodes.Usage, fragments, build);

    private static BrokenCase ClassifyOption(string option, string value, params string[] fragments) =>
        Usage($"option: classify {option} {value}", fragments, dir => RunCli("classify", "mlp", "--data-dir", dir.File("no-data"), "--out", dir.File("run"), option, value));

    private static BrokenCase RegressOption(string option, string value, params string[] fragments) =>
        Usage($"option: regress {option} {value}", fragments, dir => RunCli("regress", "neural", "--data-dir", dir.File("no-data"), "--out", dir.File("run"), option, value));

    private static IEnumerable<BrokenCase> OptionCases() =>
    [
        ClassifyOption("--lr", "0", "--lr 0 is out of range: expected a number in (0, 100]"),
        RegressOption("--lr", "-0.5", "--lr -0.5 is out of range: expected a number in (0, 100]"),
        ClassifyOption("--lr", "NaN", "--lr NaN is out of range"),
        ClassifyOption("--epochs", "0", "--epochs 0 is out of range: expected an integer from 1 to 100000"),
        RegressOption("--epochs", "-3", "--epochs -3 is out of range"),
        ClassifyOption("--epochs", "many", "--epochs 'many' is not an integer", "--help"),
        RegressOption("--lr", "0,01", "--lr '0,01' is not a number"),
        ClassifyOption("--dropout", "1", "--dropout 1 is out of range: expected a probability in [0, 1)"),
        ClassifyOption("--dropout", "-0.1", "--dropout -0.1 is out of range"),
        ClassifyOption("--hidden", "0", "--hidden 0 is out of range: expected an integer from 1 to 100000"),
        RegressOption("--hidden", "-1", "--hidden -1 is out of range"),
        ClassifyOption("--layers", "0", "--layers 0 is out of range: expected an integer from 1 to 16"),
        ClassifyOption("--batch-size", "0", "--batch-size 0 is out of range: expected an integer from 1 to 1000000"),
        ClassifyOption("--threads", "0", "--threads 0 is out of range: expected an integer from 1 to 256"),
        ClassifyOption("--limit", "0", "--limit 0 is out of range: expected an integer ≥ 1"),
        RegressOption("--l2", "-1", "--l2 -1 is out of range: expected a number ≥ 0"),
        Usage("option: regress linear --lambda 0", ["--lambda 0 is out of range: expected a number > 0"],
            dir => RunCli("regress", "linear", "--data-dir", dir.File("no-data"), "--out", dir.File("run"), "--lambda", "0")),
        Usage("option: regress neural --lambda 1 (λ is linear regression's)", ["--lambda 1 does not apply to neural", "Leave --lambda out."],
            dir => RunCli("regress", "neural", "--data-dir", dir.File("no-data"), "--out", dir.File("run"), "--lambda", "1")),
        ClassifyOption("--seed", "-1", "--seed -1 is out of range"),
        ClassifyOption("--activation", "sigmoid", "'sigmoid'", "relu", "tanh"),
        ClassifyOption("--optimizer", "rmsprop", "'rmsprop'", "sgd", "adam"),
        ClassifyOption("--init", "uniform", "'uniform'", "zeros", "course", "torch"),
        ClassifyOption("--precision", "float16", "'float16'", "float64", "float32"),
        ClassifyOption("--engine", "gpu", "'gpu'", "scratch", "torch"),
        ClassifyOption("--stream", "philox", "'philox'", "numpy", "torch"),
        ClassifyOption("--stream", "torch", "--init course draws N(0.1, 0.1) from numpy's stream", "use --init torch"),
        RegressOption("--stream", "torch", "--stream torch draws as PyTorch's nn.Linear classifiers do", "use --stream numpy"),
        ClassifyOption("--preset", "q9", "--preset 'q9' is unknown: expected one of q2, q3, q4"),
        RegressOption("--preset", "q4", "--preset q4 has no settings for NeuralRegressor: use q2"),
        RegressOption("--engine", "torch", "--engine torch trains the logistic and mlp classifiers only", "use --engine scratch"),
        Usage("option: an unknown model", ["'svm'", "perceptron", "mlp"], dir => RunCli("classify", "svm", "--out", dir.File("run"))),
        // Batch sizes are checked against the training set once the data are loaded, before the run folder is made.
        Usage("option: --batch-size larger than the training set", ["--batch-size 9 is out of range: expected an integer from 1 to 8 (the training examples)"],
            dir => RunCli(Regress(AmesNpzFolder(dir), dir, "--batch-size", "9"))),
        Usage("option: --batch-size larger than --limit", ["--batch-size 5 is out of range: expected an integer from 1 to 4 (the training examples left by --limit)"],
            dir => RunCli(Regress(AmesNpzFolder(dir), dir, "--limit", "4", "--batch-size", "5"))),
        Usage("option: --batch-size larger than Fashion-MNIST's 50000 training images, --limit beyond them", ["--batch-size 50001 is out of range: expected an integer from 1 to 50000"],
            dir => RunCli(Classify(RealData.RequireFashionMnist(), dir, "--limit", "60000", "--batch-size", "50001"))),
        Usage("option: reproduce --jobs 0", ["--jobs 0 is out of range: expected an integer from 1 to 64"],
            dir => RunCli("reproduce", "--jobs", "0", "--out", dir.File("reproduce"))),
        Usage("option: reproduce --engines gpu", ["--engines 'gpu' is unknown: expected scratch, torch or scratch,torch"],
            dir => RunCli("reproduce", "--engines", "gpu", "--out", dir.File("reproduce"))),
        Usage("option: sweep --grid with an unknown key", ["--grid 'momentum=0.9'", "KEY one of"],
            dir => RunCli("sweep", "mlp", "--grid", "momentum=0.9", "--out", dir.File("sweep"))),
        Usage("option: sweep --grid with a value out of range", ["--lr 0 is out of range"],
            dir => RunCli("sweep", "mlp", "--grid", "lr=0.01,0", "--out", dir.File("sweep"))),
        Usage("option: sweep --jobs 0", ["--jobs 0 is out of range"],
            dir => RunCli("sweep", "mlp", "--grid", "lr=0.01", "--jobs", "0", "--out", dir.File("sweep"))),
    ];
}
