using ScratchNet.Reports.Document;
using ScratchNet.Reports.Figures;
using ScratchNet.Runs;

namespace ScratchNet.Reports;

/// <summary>
/// Turns run folders into the report: the reference comparison, the report's sections with their figures (as the plan
/// maps runs to figures), model selection on the dev set, the best classifier's errors, every run, and the machine.
/// </summary>
internal sealed class ReportBuilder
{
    public const string Title = "ScratchNet: the homework report, reproduced";
    public const string RunsTitle = "ScratchNet: report on training runs";
    public const string SmokeBanner = "Smoke run — numbers are not comparable with the report. These runs used a subset of the examples and/or epochs (--quick).";
    private const int GalleryLimit = 32;

    private readonly IReadOnlyList<LoadedRun> _runs;
    private readonly ReportInputs _inputs;
    private readonly List<Block> _blocks = [];
    private readonly List<RenderedFigure> _figures = [];
    private readonly List<Attachment> _attachments = [];
    private readonly HashSet<string> _stems = new(StringComparer.Ordinal);

    private ReportBuilder(IReadOnlyList<LoadedRun> runs, ReportInputs inputs)
    {
        _runs = runs;
        _inputs = inputs;
    }

    public static ReportDocument Build(IReadOnlyList<LoadedRun> runs, ReportInputs inputs)
    {
        var builder = new ReportBuilder(runs, inputs);
        builder.AddOverview();
        if (builder.HasHomeworkRuns)
            builder.AddReferenceComparison();
        builder.AddEngineComparison();
        if (builder.HasPlanRuns)
            builder.AddCalculus();
        foreach (var section in inputs.Plan.Sections)
            builder.AddSection(section);
        builder.AddOtherRuns();
        builder.AddSeedSpread();
        builder.AddBestClassifier();
        builder.AddAllRuns();
        builder.AddMachine();
        return new ReportDocument(builder.HasPlanRuns ? Title : RunsTitle, builder._blocks, builder._figures) { Attachments = builder._attachments };
    }

    /// <summary>
    /// True when the whole report is a smoke run: the caller says so (<c>--quick</c>) or every run trained on a subset.
    /// A smoke run among full runs is labelled on its own rows instead.
    /// </summary>
    public static bool IsSmokeRun(IReadOnlyList<LoadedRun> runs, ReportInputs inputs) =>
        inputs.Quick || (runs.Count > 0 && runs.All(IsSmoke));

    /// <summary>A run trained on a subset of the examples (<c>--limit</c>): its numbers are not comparable with the report.</summary>
    public static bool IsSmoke(LoadedRun run) => run.Options.TrainLimit is not null;

    private static string SmokeLabel(LoadedRun run) => run.Options.TrainLimit is { } limit ? $"smoke run (first {limit} examples)" : "";

    private IEnumerable<Engine> Engines => _runs.Select(r => r.Engine).Distinct().Order();

    /// <summary>A run of the homework: named as a section of the plan, or trained with a reference number's settings.</summary>
    private bool IsHomework(LoadedRun run) =>
        _inputs.Plan.Sections.Any(s => s.Includes(run)) || ReferenceNumbers.All.Any(r => r.SettingsMatch(run));

    private bool HasHomeworkRuns => _runs.Any(IsHomework);

    /// <summary>Some run carries a name of the report's plan (it comes from <c>reproduce</c>): the report is the homework's.</summary>
    private bool HasPlanRuns => _runs.Any(r => _inputs.Plan.Sections.Any(s => s.Includes(r)));

    private void AddOverview()
    {
        if (IsSmokeRun(_runs, _inputs))
            _blocks.Add(new Banner(SmokeBanner));
        var generated = (_inputs.GeneratedUtc ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var notDone = _runs.Count(r => !r.IsCompleted);
        var smoke = _runs.Count(IsSmoke);
        _blocks.Add(new Paragraph(
            $"Generated {generated} from {_runs.Count} run folders (engines: {string.Join(", ", Engines.Select(Formatting.Engine))})" +
            (notDone > 0 ? $"; {notDone} of them did not complete (see the table of runs)" : "") +
            (smoke > 0 && !IsSmokeRun(_runs, _inputs) ? $"; {smoke} of them trained on a subset of the examples (smoke runs, labelled on their rows)" : "") + "." +
            (HasHomeworkRuns
                ? " Each number the report or REFERENCE.md gives is shown beside the reproduced number, their difference, its tolerance and a verdict."
                : " None of them is a run of the homework, so the report's sections are left out: each run's learning curves follow.")));
    }

    private void AddReferenceComparison()
    {
        _blocks.Add(new Heading(1, "Reproduced numbers vs the report"));
        // A reproduction shows every reference number, run or not; other runs (a sweep, one's own) only those they match.
        var references = HasPlanRuns ? ReferenceNumbers.All : ReferenceNumbers.All.Where(r => _runs.Any(r.SettingsMatch)).ToList();
        var rows = ReferenceRows(references);
        var verdicts = rows.Select(r => r[VerdictColumn]).ToList();
        int Count(string verdict) => verdicts.Count(v => v.StartsWith(verdict, StringComparison.Ordinal));
        var notMeasured = Count("not measured");
        _blocks.Add(new Paragraph(
            $"{Count("same")} same, {Count("close")} close, {Count("differs")} differ, {Count("not run")} not run" +
            (notMeasured > 0 ? $", {notMeasured} not measured" : "") +
            $" (of {rows.Count} rows: one per reference number and engine that ran it). " +
            "same: equal to the printed digit; close: within the stated tolerance, for the reason beside it; differs: outside it; " +
            "not run: no run with the reference's settings among the inputs (a run of that name with other settings, such as a smoke run, is named but not compared)." +
            (references.Count < ReferenceNumbers.All.Count
                ? $" These runs are not a reproduction: only the {references.Count} reference numbers whose settings one of them has are shown."
                : "")));
        _blocks.Add(new Table(ReferenceHeader, rows));
    }

    private const int VerdictColumn = 8;

    private static readonly string[] ReferenceHeader = ["section", "run", "engine", "quantity", "reference", "reproduced", "difference", "tolerance", "verdict", "why", "reference from"];

    private List<IReadOnlyList<string>> ReferenceRows(IEnumerable<ReferenceNumber> references)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var reference in references)
        {
            var quantity = ReferenceNumbers.Describe(reference.Metric);
            var referenceText = Formatting.Number(reference.Value, reference.Metric);
            var tolerance = Formatting.Tolerance(reference.Tolerance.Value, reference.Metric);
            var matches = _runs.Where(reference.SettingsMatch).ToList();
            if (matches.Count == 0)
            {
                var others = _runs.Where(r => r.Name == reference.RunName).ToList();
                var why = others.Count == 0
                    ? "no run with these settings among the inputs"
                    : string.Join("; ", others.Select(r => $"{r.Name} ({Formatting.Engine(r.Engine)}) is not compared: " +
                        (IsSmoke(r) ? "a smoke run, " : "") + "other settings: " + Formatting.SettingsDifference(r.Options, reference.Settings.OnEngine(r.Engine))));
                var engines = others.Count == 0 ? Formatting.Missing : string.Join(", ", others.Select(r => Formatting.Engine(r.Engine)).Distinct());
                rows.Add([reference.Section, reference.RunName, engines, quantity, referenceText, Formatting.Missing, Formatting.Missing, tolerance, "not run", why, reference.Source]);
                continue;
            }
            foreach (var run in matches)
            {
                var measured = ReferenceNumbers.Measure(run, reference.Metric);
                var verdict = measured is not { } m ? "not measured" : Formatting.Verdict(m, reference.Value, reference.Tolerance.Value, reference.Metric);
                if (!run.IsCompleted)
                    verdict += $" ({run.Manifest.Status})";
                rows.Add([reference.Section, run.Name, Formatting.Engine(run.Engine), quantity, referenceText, Formatting.Number(measured, reference.Metric),
                    measured is { } value ? Formatting.Difference(value, reference.Value, reference.Metric) : Formatting.Missing,
                    tolerance, verdict, Why(reference, verdict), reference.Source]);
            }
        }
        return rows;
    }

    // the tolerance's reason; for a row that differs with a measured spread, also where the reference falls in it
    private static string Why(ReferenceNumber reference, string verdict) =>
        verdict.StartsWith("differs", StringComparison.Ordinal) && reference.Tolerance.Evidence is { } evidence
            ? $"{reference.Tolerance.Reason}; {evidence.PlaceOf(reference.Value)}"
            : reference.Tolerance.Reason;

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
        // A section appears only when its runs are among the inputs: a report on a sweep is not the homework.
        var members = _runs.Where(section.Includes).ToList();
        if (members.Count == 0)
            return;
        _blocks.Add(new Heading(1, section.Title));
        _blocks.Add(new Paragraph(section.Text));
        var references = ReferenceNumbers.All.Where(r => section.Experiments.Contains(r.Experiment)).ToList();
        if (references.Count > 0)
            _blocks.Add(new Table(ReferenceHeader, ReferenceRows(references)));
        foreach (var note in references.Select(r => r.Note).OfType<string>().Distinct())
            _blocks.Add(new Paragraph("Note: " + note));
        foreach (var engine in Engines)
        {
            // The run with the reference's settings first, so a same-named run with other settings is not the figure.
            var engineRuns = members.Where(r => r.Engine == engine)
                .OrderByDescending(r => references.Any(reference => reference.SettingsMatch(r))).ToList();
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
                Formatting.Four(r.FinalTestAccuracy), Formatting.Invariant(Math.Round(r.Manifest.Seconds, 1)), Status(r),
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
                Formatting.Invariant(Math.Round(r.Manifest.Seconds, 1)), Status(r)]).ToList()));
    }

    /// <summary>The run's status, why it stopped, and whether it is a smoke run: the label sits on the run's own row.</summary>
    private static string Status(LoadedRun run)
    {
        var status = run.Manifest.Message is { } message ? $"{run.Manifest.Status}: {message}" : run.Manifest.Status.ToString();
        return IsSmoke(run) ? $"{status} · {SmokeLabel(run)}" : status;
    }

    /// <summary>
    /// Runs that belong to no section of the report (a sweep, a run of your own): each sweep (or folder of runs) gets its
    /// ranking table and a comparison plot, and every run its learning curves.
    /// </summary>
    private void AddOtherRuns()
    {
        var others = _runs.Where(r => !_inputs.Plan.Sections.Any(s => s.Includes(r))).ToList();
        if (others.Count == 0)
            return;
        _blocks.Add(new Heading(1, HasPlanRuns ? "Other runs" : "Runs"));
        var groups = others.GroupBy(r => RunGroup.Of(r.Folder)).OrderBy(g => g.Key.Folder, StringComparer.Ordinal).ToList();
        foreach (var group in groups)
        {
            var runs = group.ToList();
            if (runs.Count > 1 || group.Key.IsSweep)
            {
                _blocks.Add(new Heading(2, group.Key.Title));
                foreach (var kind in runs.GroupBy(r => r.Options.IsRegression))
                    AddRanking(group.Key, kind.ToList());
            }
            else if (groups.Count > 1)
            {
                _blocks.Add(new Heading(2, $"{runs[0].Name} ({Formatting.Engine(runs[0].Engine)})"));
            }
            foreach (var run in runs)
            {
                var stem = UniqueStem("run-" + FileName(run.Name) + "-" + Formatting.Engine(run.Engine), run);
                if (LineFigures.LearningCurves(stem, run, SmokeLabel(run)) is { } rendered)
                    AddFigure(rendered);
                else
                    _blocks.Add(new Paragraph($"{run.Name} ({Formatting.Engine(run.Engine)}) has no per-epoch values yet ({Status(run)})."));
            }
        }
    }

    /// <summary>A sweep's table ranked as <c>sweep</c> ranks it (classifiers on final dev accuracy, regressors on final test RMSE) and its comparison plot.</summary>
    private void AddRanking(RunGroup group, List<LoadedRun> runs)
    {
        var regression = runs[0].Options.IsRegression;
        var ranked = runs.OrderByDescending(r => r.IsCompleted)
            .ThenBy(r => regression ? r.FinalTestRmse ?? double.MaxValue : -(r.FinalDevAccuracy ?? double.MinValue))
            .ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var rows = ranked.Select((r, i) => (IReadOnlyList<string>)[(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), r.Name, Formatting.Engine(r.Engine),
            Formatting.Configuration(r.Options), $"{r.Options.Seed}",
            regression ? Formatting.Four(r.FinalTrainRmse) : Formatting.Four(r.FinalDevAccuracy),
            regression ? Formatting.Four(r.FinalTestRmse) : Formatting.Four(r.FinalTestAccuracy),
            Formatting.Invariant(Math.Round(r.Manifest.Seconds, 1)), Status(r)]).ToList();
        _blocks.Add(new Table(["rank", "run", "engine", "settings", "seed", regression ? "train RMSE" : "final dev accuracy", regression ? "test RMSE" : "test accuracy", "seconds", "status"], rows));
        _blocks.Add(new Paragraph(regression
            ? "Ranked on the final test RMSE (the Ames questions have no dev set), completed runs first."
            : "Ranked on the final dev accuracy, completed runs first; the test accuracy is not used to choose."));
        if (runs.Count < 2)
            return;
        var stem = UniqueStem($"compare-{FileName(Path.GetFileName(group.Folder))}{(regression ? "-regression" : "")}", runs[0]);
        if (LineFigures.Comparison(stem, group.Title, runs, regression, ranked[0].IsCompleted ? ranked[0] : null) is { } figure)
            AddFigure(figure);
    }

    /// <summary>
    /// Runs that differ only in their seed: the spread of their final accuracies, the evidence a chaotic reference row's
    /// tolerance rests on. Also written as <c>seed-spread.json</c>, in the format of <c>tolerance-evidence.json</c>.
    /// </summary>
    /// <summary>
    /// Every configuration trained on both engines (equal settings, engine aside), side by side: final dev and test
    /// accuracy of each, the difference scratch − torch, and a summary line saying how far apart the engines are.
    /// </summary>
    private void AddEngineComparison()
    {
        var pairs = _runs.Where(r => r.Engine == Engine.Scratch && r.IsCompleted && !r.Options.IsRegression)
            // the same settings, engine aside (and the dropout path, which libtorch chooses by the CPU: see MaskNote)
            .Select(s => (Scratch: s, Torch: _runs.FirstOrDefault(t => t.Engine == Engine.Torch && t.IsCompleted &&
                (t.Options with { Engine = Engine.Scratch, Stream = t.Options.Stream.IsTorch() && s.Options.Stream.IsTorch() ? s.Options.Stream : t.Options.Stream }).ConfigHash() == s.Options.ConfigHash())))
            .Where(p => p.Torch is not null && p.Scratch.FinalTestAccuracy is not null && p.Torch.FinalTestAccuracy is not null)
            .Select(p => (p.Scratch, Torch: p.Torch!))
            .OrderBy(p => p.Scratch.Name, StringComparer.Ordinal).ToList();
        if (pairs.Count == 0)
            return;
        _blocks.Add(new Heading(1, "The two engines side by side"));
        var test = pairs.Select(p => p.Scratch.FinalTestAccuracy!.Value - p.Torch.FinalTestAccuracy!.Value).ToList();
        var dev = pairs.Where(p => p.Scratch.FinalDevAccuracy is not null && p.Torch.FinalDevAccuracy is not null)
            .Select(p => p.Scratch.FinalDevAccuracy!.Value - p.Torch.FinalDevAccuracy!.Value).ToList();
        // Equal to the printed digit: both print the same four decimals.
        var sameTest = pairs.Count(p => Formatting.Four(p.Scratch.FinalTestAccuracy) == Formatting.Four(p.Torch.FinalTestAccuracy));
        var worst = pairs[test.Select(Math.Abs).ToList().IndexOf(test.Max(Math.Abs))];
        var devText = dev.Count > 0 ? FormattableString.Invariant($"; dev accuracy at most {dev.Max(Math.Abs):0.0000} apart, {dev.Average(Math.Abs):0.0000} on average. ") : ". ";
        _blocks.Add(new Paragraph(
            FormattableString.Invariant($"{pairs.Count} configurations ran on both engines with the same settings. Test accuracy: the same to the printed digit in {sameTest} of {pairs.Count}; ") +
            FormattableString.Invariant($"the engines are at most {test.Max(Math.Abs):0.0000} apart ({worst.Scratch.Name}), {test.Average(Math.Abs):0.0000} on average") + devText +
            MaskNote(pairs) +
            "too small to change a printed digit for the convex logistic regression without dropout; for the MLPs, float32 rounding in another summation order, which the chaotic " +
            "per-example trajectory grows to about the seed spread (Q4.2 and Q4.3 tolerances)."));
        _blocks.Add(new Table(["configuration", "settings", "scratch dev", "torch dev", "dev scratch − torch", "scratch test", "torch test", "test scratch − torch", "seconds scratch / torch"],
            pairs.Select(p => (IReadOnlyList<string>)[p.Scratch.Name, Formatting.Configuration(p.Scratch.Options),
                Formatting.Four(p.Scratch.FinalDevAccuracy), Formatting.Four(p.Torch.FinalDevAccuracy), Signed(p.Scratch.FinalDevAccuracy, p.Torch.FinalDevAccuracy),
                Formatting.Four(p.Scratch.FinalTestAccuracy), Formatting.Four(p.Torch.FinalTestAccuracy), Signed(p.Scratch.FinalTestAccuracy, p.Torch.FinalTestAccuracy),
                $"{Math.Round(p.Scratch.Manifest.Seconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} / {Math.Round(p.Torch.Manifest.Seconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}"]).ToList()));

        // libtorch draws Dropout's masks through MKL on an Intel CPU; the scratch engine's q4 default draws them element by element
        static string MaskNote(List<(LoadedRun Scratch, LoadedRun Torch)> pairs)
        {
            var apart = pairs.Where(p => p.Scratch.Options.Stream != p.Torch.Options.Stream && p.Scratch.Options.Dropout > 0).ToList();
            if (apart.Count == 0)
                return "On PyTorch's random stream the scratch engine draws the same init, order and dropout masks as the torch engine, so a gap is rounding alone: ";
            var torchStream = apart[0].Torch.Options.Stream.Text();
            return $"The two engines draw the same init and order, but not the same dropout masks in {apart.Count} of these runs: the torch engine drew them on the {torchStream} stream " +
                $"(libtorch chooses by the CPU's vendor), the scratch engine on the {apart[0].Scratch.Options.Stream.Text()} stream; rerun the scratch engine on the {torchStream} stream to follow it mask for mask. " +
                "Where the masks are the same, a gap is rounding alone: ";
        }

        static string Signed(double? a, double? b) => a is { } x && b is { } y
            ? (x - y).ToString("+0.0000;-0.0000;0.0000", System.Globalization.CultureInfo.InvariantCulture)
            : Formatting.Missing;
    }

    private void AddSeedSpread()
    {
        var spreads = SeedSpread.Measure(_runs);
        if (spreads.Count == 0)
            return;
        _blocks.Add(new Heading(1, "Seed spread"));
        _blocks.Add(new Paragraph(
            "Runs with the same settings but for the seed: mean and sample standard deviation of the final accuracy. A chaotic reference row's tolerance is " +
            $"max(2σ, {SpreadEvidence.Floor:0.000}) over at least {SpreadEvidence.MinSeeds} seeds; seed-spread.json beside this report holds these rows in the format of " +
            "src/ScratchNet.Reports/tolerance-evidence.json, the committed evidence."));
        _blocks.Add(new Table(["reference row", "engine", "settings", "quantity", "seeds", "mean", "σ", "2σ", "tolerance max(2σ, 0.003)", "rerun"],
            spreads.Select(e => (IReadOnlyList<string>)[e.Section ?? Formatting.Missing, e.Engine, e.Configuration,
                ReferenceNumbers.Describe(Enum.Parse<ReportMetric>(e.Metric)), $"{e.Seeds.Count} ({string.Join(',', e.Seeds)})",
                Formatting.Four(e.Mean), Formatting.Four(e.Std), Formatting.Four(e.TwoSigma),
                Formatting.Four(e.Tolerance) + (e.Seeds.Count < SpreadEvidence.MinSeeds ? $" (only {e.Seeds.Count} seeds: too few for a tolerance)" : ""),
                e.Command]).ToList()));
        _attachments.Add(new Attachment(SeedSpreadFile, System.Text.Json.JsonSerializer.Serialize(new ToleranceEvidenceFile { Rows = spreads }, ToleranceEvidence.Json) + "\n"));
    }

    public const string SeedSpreadFile = ReportWriter.SeedSpreadFile;

    private string UniqueStem(string stem, LoadedRun run)
    {
        var unique = _stems.Contains(stem) ? $"{stem}-{run.Options.ConfigHash()[..6]}" : stem;
        _stems.Add(unique);
        return unique;
    }

    /// <summary>A run name as a file name: letters, digits, '.', '-' and '_' kept, anything else '_'.</summary>
    private static string FileName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());

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
        _stems.Add(figure.FileStem);
        _figures.Add(figure);
        _blocks.Add(new FigureBlock(figure));
    }

    private static string Stem(FigurePlan figure, Engine engine) => $"{figure.Id}-{Formatting.Engine(engine)}";
}
