using System.CommandLine;
using ScratchNet.Cli.Options;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScratchNet.Calculus;
using Spectre.Console;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet calculus`: checks every claim of the report's Question 1 and 2.1 numerically (see docs/calculus.md).</summary>
internal static class CalculusCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable σ, ∇, ≤ (never embedded in HTML)
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create()
    {
        var points = new Option<int>("--points") { Description = "Random points (and random segments) per check.", DefaultValueFactory = _ => 1000 }.Integer();
        var seed = new Option<int>("--seed") { Description = "Seed of the random points.", DefaultValueFactory = _ => 42 }.Integer();
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON instead of the table." };
        var command = new Command("calculus",
            "Check the report's calculus (Question 1 and 2.1) on random points: derivatives against finite differences, " +
            "Hessians PSD, convexity by the midpoint inequality, and a counter-example for a non-linear model. " +
            $"Exit code {ExitCodes.CheckFailed} if any claim fails.")
        {
            points, seed, json,
        };
        command.SetAction(parse =>
        {
            var options = new CalculusCheckOptions(parse.GetValue(points), parse.GetValue(seed));
            if (options.Points is < 1 or > 1_000_000)
                throw new UsageException($"--points must be between 1 and 1000000, but is {options.Points}.");
            var stopwatch = Stopwatch.StartNew();
            var claims = ReportClaims.CheckAll(options);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                output.WriteLine(ToJson(claims, options));
            else
                WriteTable(claims, options, stopwatch.Elapsed, output);
            return ExitCodeFor(claims);
        });
        return command;
    }

    internal static int ExitCodeFor(IReadOnlyList<ClaimResult> claims) =>
        claims.All(claim => claim.Passed) ? ExitCodes.Ok : ExitCodes.CheckFailed;

    internal static string ToJson(IReadOnlyList<ClaimResult> claims, CalculusCheckOptions options) =>
        JsonSerializer.Serialize(new
        {
            options.Points,
            options.Seed,
            Passed = claims.All(claim => claim.Passed),
            Claims = claims.Select(claim => new { claim.Id, claim.Section, claim.Equations, claim.Statement, claim.Passed, claim.Checks }),
        }, JsonOptions);

    private static void WriteTable(IReadOnlyList<ClaimResult> claims, CalculusCheckOptions options, TimeSpan elapsed, TextWriter output)
    {
        // Colours only on a real terminal: a redirected or captured output gets plain text.
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        console.Profile.Width = interactive ? Math.Max(console.Profile.Width, 100) : 160;
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("The report's calculus, checked numerically") };
        table.AddColumn("§ (eq.)");
        table.AddColumn("claim, and what was checked");
        table.AddColumn(new TableColumn("points").RightAligned());
        table.AddColumn("measure");
        table.AddColumn(new TableColumn("worst").RightAligned());
        table.AddColumn("criterion");
        table.AddColumn("result");
        foreach (var claim in claims)
        {
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(claim.Section)}[/]" + (claim.Equations.Length > 0 ? $" {Markup.Escape(claim.Equations)}" : "")),
                new Markup($"[bold]{Markup.Escape(claim.Statement)}[/]"),
                Text.Empty, Text.Empty, Text.Empty, Text.Empty,
                Verdict(claim.Passed));
            foreach (var check in claim.Checks)
            {
                table.AddRow(
                    Text.Empty,
                    new Text($"  • {check.What}"),
                    new Text(check.Points.ToString(CultureInfo.InvariantCulture)),
                    new Text(check.Measure),
                    new Text(FormatValue(check.Value)),
                    new Text(check.Criterion),
                    Verdict(check.Passed));
            }
        }
        console.Write(table);
        var passed = claims.Count(claim => claim.Passed);
        console.WriteLine(
            $"{passed} of {claims.Count} claims hold ({options.Points} random points per check, seed {options.Seed}, {elapsed.TotalSeconds:F2} s). " +
            "Derivation notes: docs/calculus.md.");
    }

    private static Markup Verdict(bool passed) => new(passed ? "[green]pass[/]" : "[red bold]FAIL[/]");

    private static string FormatValue(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e6
            ? value.ToString("F0", CultureInfo.InvariantCulture)
            : value.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
