using System.Text.Json;
using ScratchNet.Calculus;
using ScratchNet.Cli.Commands;

namespace ScratchNet.Tests.Calculus;

public class CalculusCommandTests
{
    [Fact]
    public void Json_reports_every_claim_of_the_report_as_passing_with_exit_code_0()
    {
        var (code, output, error) = CliRunner.Run("calculus", "--json", "--points", "300", "--seed", "7");
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}{output}");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(300, root.GetProperty("points").GetInt32());
        Assert.Equal(7, root.GetProperty("seed").GetInt32());
        var claims = root.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(["1.1", "1.2", "1.3", "1.4", "1.5-affine", "1.5-nonlinear", "2.1"], claims.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(["1.1", "1.2", "1.3", "1.4", "1.5", "1.5", "2.1"], claims.Select(c => c.GetProperty("section").GetString()));
        foreach (var check in claims.SelectMany(c => c.GetProperty("checks").EnumerateArray()))
        {
            Assert.True(check.GetProperty("passed").GetBoolean(), check.ToString());
            Assert.True(check.GetProperty("points").GetInt32() >= 300);
            Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("what").GetString()));
        }
    }

    [Fact]
    public void Json_is_deterministic_for_a_seed_and_changes_with_it()
    {
        var first = CliRunner.Run("calculus", "--json", "--points", "50", "--seed", "3").Output;
        var again = CliRunner.Run("calculus", "--json", "--points", "50", "--seed", "3").Output;
        var other = CliRunner.Run("calculus", "--json", "--points", "50", "--seed", "4").Output;
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void The_table_has_a_row_per_claim_and_a_summary()
    {
        var (code, output, _) = CliRunner.Run("calculus", "--points", "100");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (var text in new[] { "1.1", "1.2 (1)–(3)", "1.3", "1.4 (4)–(9)", "1.5 (10)", "non-linear", "2.1", "σ'(z) = σ(z)(1 − σ(z))" })
            Assert.Contains(text, output, StringComparison.Ordinal);
        Assert.Contains("7 of 7 claims hold (100 random points per check, seed 42", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1000001")]
    public void Points_out_of_range_is_a_usage_error(string points)
    {
        var (code, _, error) = CliRunner.Run("calculus", "--points", points);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--points must be between 1 and 1000000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_claim_means_exit_code_5()
    {
        var passing = new CheckOutcome("a", 1, "max rel. error", 0, "≤ 1e-6", Passed: true);
        var failing = passing with { Value = 1, Passed = false };
        Assert.Equal(ExitCodes.Ok, CalculusCommand.ExitCodeFor([new ClaimResult("1.1", "1.1", "", "s", [passing])]));
        Assert.Equal(ExitCodes.CheckFailed, CalculusCommand.ExitCodeFor(
            [new ClaimResult("1.1", "1.1", "", "s", [passing]), new ClaimResult("1.2", "1.2", "", "s", [passing, failing])]));
        Assert.Contains("\"passed\": false", CalculusCommand.ToJson([new ClaimResult("1.2", "1.2", "", "s", [failing])], new CalculusCheckOptions()), StringComparison.Ordinal);
    }
}
