using ScratchNet.Cli;

namespace ScratchNet.Tests;

public class CliTests
{
    [Fact]
    public void Unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var (code, _, err) = CliRunner.Run("version", "--no-such-option");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--no-such-option", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void Version_prints_the_runtime()
    {
        var (code, output, _) = CliRunner.Run("version");
        Assert.Equal(0, code);
        Assert.Contains(".NET", output, StringComparison.Ordinal);
        Assert.Contains($"CPU vendor {ScratchNet.Randomness.TorchBernoulliPaths.CpuVendor}: the torch engine draws dropout masks ", output, StringComparison.Ordinal);
        Assert.Contains($"(--stream {ScratchNet.Runs.RandomStreams.Text(ScratchNet.Runs.RandomStreams.TorchEngineHere)})", output, StringComparison.Ordinal);
    }
}

/// <summary>Runs the CLI in-process and captures its output.</summary>
internal static class CliRunner
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
