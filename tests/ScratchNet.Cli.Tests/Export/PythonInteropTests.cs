using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Export;

/// <summary>
/// The clients users have: Debian's PyTorch loads `export --format pt` into the course's nn.Sequential with
/// load_state_dict(torch.load(...)), and numpy alone reads model.safetensors by the format's spec; both get ScratchNet's
/// test accuracy to the printed digit (TestData/check_export.py).
/// </summary>
[Collection(ExportRunsCollection.Name)]
public sealed class PythonInteropTests(ExportRuns runs)
{
    public static TheoryData<string> Runs => ["logistic-float32", "torch-logistic", "mlp-relu-dropout", "torch-mlp-2-layers", "mlp-tanh-3-layers-float32"];

    [PythonTorchTheory]
    [MemberData(nameof(Runs))]
    public void Pytorch_and_numpy_get_scratchnets_test_accuracy(string name)
    {
        var run = runs.Run(name);
        var pt = Path.Combine(runs.Root, name + ".pt");
        var (code, _, error) = CliRunner.Run("export", run, "--format", "pt", "--out", pt);
        Assert.True(code == 0, error);

        var result = PythonTorch.Run(TestPaths.TestData("check_export.py"), run, pt, Data.RealData.RequireFashionMnist());

        using var json = JsonDocument.Parse(result);
        var expected = RunFolder.ReadManifest(run).Final["test_accuracy"].ToString("0.0000", CultureInfo.InvariantCulture);
        Assert.Equal(expected, json.RootElement.GetProperty("torch_accuracy").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture));
        Assert.Equal(expected, json.RootElement.GetProperty("numpy_accuracy").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture));
        var keys = json.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToArray();
        Assert.Equal(name.Contains("logistic", StringComparison.Ordinal) ? ["weight", "bias"] : ["0.weight", "0.bias", "3.weight", "3.bias"], keys.Take(keys.Length > 2 ? 4 : 2));
    }
}

/// <summary>A theory that needs Debian's python3-torch and python3-numpy: skipped, with the reason, when they cannot be had.</summary>
public sealed class PythonTorchTheoryAttribute : TheoryAttribute
{
    public PythonTorchTheoryAttribute()
    {
        if (PythonTorch.Unavailable is { } reason)
            Skip = reason;
    }
}

/// <summary>
/// Debian's /usr/bin/python3 with python3-torch and python3-numpy, installed with apt-get (as root) when missing, once per
/// test session.
/// </summary>
internal static class PythonTorch
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Reason = new(Prepare);

    /// <summary>Null when Python with torch and numpy is ready, else why these tests are skipped.</summary>
    public static string? Unavailable => Reason.Value;

    public static string Run(string script, params string[] arguments)
    {
        var (code, output, error) = Execute(Python, [script, .. arguments]);
        Assert.True(code == 0, $"{Python} {script} failed ({code}): {error}");
        return output;
    }

    private static string? Prepare()
    {
        if (!File.Exists(Python))
            return $"skipped: {Python} does not exist (install Debian's python3, python3-torch and python3-numpy, as .ci/run does)";
        if (Execute(Python, ["-c", "import torch, numpy"]).Code == 0)
            return null;
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
            return $"skipped: python3-torch or python3-numpy is missing and this user cannot install them (run: sudo apt-get install -y python3-torch python3-numpy)";
        var install = Execute("/usr/bin/apt-get", ["install", "-y", "-qq", "python3-torch", "python3-numpy"]);
        return install.Code == 0 && Execute(Python, ["-c", "import torch, numpy"]).Code == 0
            ? null
            : $"skipped: apt-get install python3-torch python3-numpy failed ({install.Code}): {install.Error.Trim().Split('\n')[^1]}";
    }

    private static (int Code, string Output, string Error) Execute(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
