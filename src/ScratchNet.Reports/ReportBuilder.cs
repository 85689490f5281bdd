using ScratchNet.Reports.Document;
using ScratchNet.Reports.Figures;
using ScratchNet.Training;

namespace ScratchNet.Reports;

/// <summary>
/// Turns run folders into the report: the reference comparison, the report's sections with their figures (as the plan
/// maps runs to figures), model selection on the dev set, the best classifier's errors, every run, and the machine.
/// </summary>
internal sealed class ReportBuilder
{
    public const string Title = "ScratchNet: the homework report, reproduced";
    public const string SmokeBanner = "Smoke run — numbers are not comparable with the report. These runs used a subset of the examples and/or epochs (--quick).";
    private const int GalleryLimit = 32;

    private readonly IReadOnlyList<LoadedRun> _runs;
    private readonly ReportInputs _inputs;
    private readonly List<Block> _blocks = [];
    private readonly List<RenderedFigure> _figures = [];

    private ReportBuilder(IReadOnlyList<LoadedRun> runs, ReportInputs inputs)
    {
        _runs = runs;
        _inputs = inputs;
    }

    public static ReportDocument Build(IReadOnlyList<LoadedRun> runs, ReportInputs inputs)
    {
        var builder = new ReportBuilder(runs, inputs);
        builder.AddOverview();
        builder.AddReferenceComparison();
        builder.AddCalculus();
        foreach (var section in inputs.Plan.Sections)
            builder.AddSection(section);
        builder.AddBestClassifier();
        builder.AddAllRuns();
        builder.AddMachine();
        return new ReportDocument(Title, builder._blocks, builder._figures);
    }

    /// <summary>True when the runs trained on a subset (or the caller says so): the banner then says the numbers are not comparable.</summary>
    public static bool IsSmokeRun(IReadOnlyList<LoadedRun> runs, ReportInputs inputs) =>
        inputs.Quick || runs.Any(r => r.Options.TrainLimit is not null);

    private IEnumerable<Engine> Engines => _runs.Select(r => r.Engine).Distinct().Order();

    private void AddOverview()
    {
        if (IsSmokeRun(_runs, _inputs))
            _blocks.Add(new Banner(SmokeBanner));
        var generated = (_inputs.GeneratedUtc ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var notDone = _runs.Count(r => !r.IsCompleted);
        _blocks.Add(new Paragraph(
            $"Generated {generated} from {_runs.Count} run folders (engines: {string.Join(", ", Engines.Select(Formatting.Engine))})" +
            (notDone > 0 ? $"; {notDone} of them did not complete (see the table of runs)." : ".") +
            " Each number the report or REFERENCE.md gives is shown beside the reproduced number and their difference."));
    }

    private void AddReferenceComparison()
    {
        _blocks.Add(new Heading(1, "Reproduced numbers vs the report"));
        var rows = ReferenceRows(ReferenceNumbers.All);
        var verdicts = rows.Select(r => r[VerdictColumn]).ToList();
        var same = verdicts.Count(v => v == "same");
        var missing = verdicts.Count(v => v == "not run");
        _blocks.Add(new Paragraph(
            $"{same} of {verdicts.Count - missing} compared numbers are the same as the reference to the printed digit; " +
            $"{verdicts.Count - missing - same} differ" + (missing > 0 ? $"; {missing} reference numbers have no run among the inputs." : ".")));
        _blocks.Add(new Table(ReferenceHeader, rows));
    }

    private const int VerdictColumn = 7;

    private static readonly string[] ReferenceHeader = ["section", "run", "engine", "quantity", "reference", "reproduced", "difference", "verdict", "reference from"];

    private List<IReadOnlyList<string>> ReferenceRows(IEnumerable<ReferenceNumber> references)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var reference in references)
        {
            var matches = _runs.Where(r => r.Name == reference.RunName).ToList();
            if (matches.Count == 0)
            {
                rows.Add([reference.Section, reference.RunName, Formatting.Missing, ReferenceNumbers.Describe(reference.Metric),
                    Formatting.Number(reference.Value, reference.Metric), Formatting.Missing, Formatting.Missing, "not run", reference.Source]);
                continue;
            }
            foreach (var run in matches)
            {
                var measured = ReferenceNumbers.Measure(run, reference.Metric);
                var verdict = measured is not { } m ? "not measured"
                    : Formatting.SameAsPrinted(m, reference.Value, reference.Metric) ? "same" : "differs";
                if (!run.IsCompleted)
                    verdict += $" ({run.Manifest.Status})";
                rows.Add([reference.Section, run.Name, Formatting.Engine(run.Engine), ReferenceNumbers.Describe(reference.Metric),
                    Formatting.Number(reference.Value, reference.Metric), Formatting.Number(measured, reference.Metric),
                    measured is { } value ? Formatting.Difference(value, reference.Value, reference.Metric) : Formatting.Missing,
                    verdict, reference.Source]);
            }
        }
        return rows;
    }

    private void AddCalculus()
    {
        _blocks.Add(new Heading(1, "Q1 Calculus: the report's claims, checked"));
        if (_inputs.Claims.Count == 0)
        {
            _blocks.Add(new Paragraph("The calculus checks were not part of these inputs; './scratchnet reproduce' includes them."));
            return;
        }
        var held = _inputs.Claims.Count(c => c.Holds);
        _blocks.Add(new Paragraph($"{held} of {_inputs.Claims.Count} claims hold."));
        _blocks.Add(new Table(["claim", "check", "result", "detail"],
            _inputs.Claims.Select(c => (IReadOnlyList<string>)[c.Claim, c.Check, c.Holds ? "✓ holds" : "✗ fails", c.Detail ?? ""]).ToList()));
    }

    private void AddSection(SectionPlan section)
    {
        _blocks.Add(new Heading(1, section.Title));
        _blocks.Add(new Paragraph(section.Text));
        var members = _runs.Where(section.Includes).ToList();
        if (members.Count == 0)
        {
            _blocks.Add(new Paragraph(section.IsStudy
                ? $"No runs named {section.StudyPrefix}… among the inputs."
                : $"No run named {section.RunName} among the inputs."));
            return;
        }
        var references = ReferenceNumbers.All.Where(r => r.Section == section.Id).ToList();
        if (references.Count > 0)
            _blocks.Add(new Table(ReferenceHeader, ReferenceRows(references)));
        foreach (var note in references.Select(r => r.Note).OfType<string>().Distinct())
            _blocks.Add(new Paragraph("Note: " + note));
        foreach (var engine in Engines)
        {
            var engineRuns = members.Where(r => r.Engine == engine).ToList();
            if (engineRuns.Count == 0)
                continue;
            if (section.IsStudy)
                AddStudy(section, engine, engineRuns);
            else
                AddFigures(section, engine, engineRuns[0], section.Figures);
        }
    }

    private void AddStudy(SectionPlan section, Engine engine, List<LoadedRun> runs)
    {
        var chosen = SelectOnDev(runs);
        var engineName = Formatting.Engine(engine);
        _blocks.Add(new Table(["configuration", "engine", "settings", "final dev accuracy", "test accuracy", "seconds", "status", "chosen on dev"],
            runs.Select(r => (IReadOnlyList<string>)[r.Name, engineName, Formatting.Configuration(r.Options), Formatting.Four(r.FinalDevAccuracy),
                Formatting.Four(r.FinalTestAccuracy), Formatting.Invariant(Math.Round(r.Manifest.Seconds, 1)), r.Manifest.Status.ToString(),
                r == chosen ? "✓" : ""]).ToList()));
        if (chosen is null)
        {
            _blocks.Add(new Paragraph($"No completed run with a dev accuracy ({engineName}): nothing to choose."));
        }
        else
        {
            _blocks.Add(new Paragraph(
                $"Chosen on the dev set ({engineName}): {chosen.Name} ({Formatting.Configuration(chosen.Options)}), final dev accuracy " +
                $"{Formatting.Four(chosen.FinalDevAccuracy)}, test accuracy {Formatting.Four(chosen.FinalTestAccuracy)}."));
            AddFigures(section, engine, chosen, section.Figures.Where(f => f.Kind != FigureKind.StudyComparison));
        }
        foreach (var figure in section.Figures.Where(f => f.Kind == FigureKind.StudyComparison))
        {
            if (LineFigures.StudyComparison(figure, Stem(figure, engine), runs, section.StudyPrefix!, chosen) is { } rendered)
                AddFigure(rendered);
        }
    }

    /// <summary>The report's model selection: the highest final dev accuracy among completed runs (ties: first by name).</summary>
    public static LoadedRun? SelectOnDev(IEnumerable<LoadedRun> runs) =>
        runs.Where(r => r.IsCompleted && r.FinalDevAccuracy is not null)
            .OrderByDescending(r => r.FinalDevAccuracy)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    private void AddFigures(SectionPlan section, Engine engine, LoadedRun run, IEnumerable<FigurePlan> figures)
    {
        foreach (var figure in figures)
        {
            if (LineFigures.Draw(figure, Stem(figure, engine), run) is { } rendered)
                AddFigure(rendered);
            else
                _blocks.Add(new Paragraph($"{figure.Label}: {run.Name} ({Formatting.Engine(engine)}) has no per-epoch values for this figure."));
        }
    }

    private void AddBestClassifier()
    {
        _blocks.Add(new Heading(1, "The best classifier's errors"));
        var best = SelectOnDev(_runs.Where(r => !r.Options.IsRegression && r.Predictions is { Count: > 0 }));
        if (best is null)
        {
            _blocks.Add(new Paragraph("No completed classifier run with test predictions (test_predictions.csv) among the inputs."));
            return;
        }
        var predictions = best.Predictions!;
        var correct = predictions.Count(p => p.Label == p.Predicted);
        _blocks.Add(new Paragraph(
            $"Best classifier on the dev set: {best.Name} ({Formatting.Engine(best.Engine)}; dev accuracy {Formatting.Four(best.FinalDevAccuracy)}), " +
            $"{correct} of {predictions.Count} test images right ({Formatting.Four((double)correct / predictions.Count)})."));
        var counts = ConfusionMatrixFigure.Count(predictions);
        AddFigure(ConfusionMatrixFigure.Draw("confusion-matrix", "Confusion matrix", $"Confusion matrix, test set ({best.Name}, {Formatting.Engine(best.Engine)})",
            "Rows: true class; columns: predicted class; cells: number of test images.", counts));
        if (_inputs.TestImages is not { } images)
        {
            _blocks.Add(new Paragraph("The grid of misclassified images needs the Fashion-MNIST test images, which were not given to the report."));
            return;
        }
        var errors = MisclassifiedGrid.Pick(predictions, GalleryLimit);
        if (errors.Count == 0)
            return;
        AddFigure(MisclassifiedGrid.Draw("misclassified", "Misclassified test images", $"Misclassified test images ({best.Name})",
            $"The first {errors.Count} misclassified test images in test-set order, with the true class (black) and the prediction (red).", errors, images));
    }

    private void AddAllRuns()
    {
        _blocks.Add(new Heading(1, "Every run"));
        _blocks.Add(new Table(["run", "engine", "settings", "dev accuracy", "test accuracy", "train RMSE", "test RMSE", "seconds", "status"],
            _runs.Select(r => (IReadOnlyList<string>)[r.Name, Formatting.Engine(r.Engine), Formatting.Configuration(r.Options),
                Formatting.Four(r.FinalDevAccuracy), Formatting.Four(r.FinalTestAccuracy), Formatting.Four(r.FinalTrainRmse), Formatting.Four(r.FinalTestRmse),
                Formatting.Invariant(Math.Round(r.Manifest.Seconds, 1)),
                r.Manifest.Message is { } message ? $"{r.Manifest.Status}: {message}" : r.Manifest.Status.ToString()]).ToList()));
    }

    private void AddMachine()
    {
        _blocks.Add(new Heading(1, "Machine, versions and time"));
        var environments = _runs.GroupBy(r => r.Manifest.Environment).Select(g =>
            (IReadOnlyList<string>)[g.Key.ScratchNet, g.Key.Dotnet, g.Key.Os, $"{g.Key.Architecture}, {g.Key.Cores} cores", g.Key.TorchSharp ?? Formatting.Missing, g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)]).ToList();
        _blocks.Add(new Table(["ScratchNet", ".NET", "OS", "machine", "TorchSharp", "runs"], environments));
        var total = _runs.Sum(r => r.Manifest.Seconds);
        _blocks.Add(new Paragraph(
            $"Training time summed over all runs: {Formatting.Seconds(total)}" +
            (_inputs.WallSeconds is { } wall ? $"; wall time of the whole reproduction: {Formatting.Seconds(wall)}." : ".")));
    }

    private void AddFigure(RenderedFigure figure)
    {
        _figures.Add(figure);
        _blocks.Add(new FigureBlock(figure));
    }

    private static string Stem(FigurePlan figure, Engine engine) => $"{figure.Id}-{Formatting.Engine(engine)}";
}
