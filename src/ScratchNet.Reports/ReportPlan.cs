namespace ScratchNet.Reports;

/// <summary>What a figure shows.</summary>
public enum FigureKind
{
    /// <summary>‖ŵ − w‖ per epoch (linear regression vs the analytic solution).</summary>
    WeightDistance,
    /// <summary>Train and test RMSE per epoch.</summary>
    RegressionLoss,
    /// <summary>Dev and test accuracy per epoch.</summary>
    Accuracy,
    /// <summary>Training loss (left axis) and validation accuracy (right axis) per epoch of the study's chosen run.</summary>
    LossAndAccuracy,
    /// <summary>Dev accuracy per epoch of every configuration in a study.</summary>
    StudyComparison,
}

/// <summary>One figure: <paramref name="Id"/> names its files, <paramref name="Label"/> is what the report calls it.</summary>
public sealed record FigurePlan(string Id, string Label, FigureKind Kind, string Title, string Caption);

/// <summary>
/// One section of the report, and the experiments (<see cref="ExperimentPlan"/>) that produce it. A single-run section
/// shows its one experiment's run; a study section (its experiments belong to a <see cref="Experiment.Study"/>) compares
/// every run of the study, named <c>{study}-…</c> wherever it was trained, and picks the best by final dev accuracy.
/// </summary>
public sealed record SectionPlan(string Title, string Text, IReadOnlyList<FigurePlan> Figures, IReadOnlyList<Experiment> Experiments)
{
    /// <summary>The report's section number (e.g. <c>Q4.2</c>): its experiments'.</summary>
    public string Id => Experiments[0].Section;

    public bool IsStudy => Experiments[0].Study is not null;

    /// <summary>The run a single-run section shows; null for a study.</summary>
    public string? RunName => IsStudy ? null : Experiments[0].Name;

    /// <summary>The name prefix of a study's runs (e.g. <c>q4.2-</c>); null for a single run.</summary>
    public string? StudyPrefix => Experiments[0].Study is { } study ? study + "-" : null;

    public bool Includes(LoadedRun run) =>
        StudyPrefix is { } prefix ? run.Name.StartsWith(prefix, StringComparison.Ordinal) : run.Name == RunName;
}

/// <summary>
/// Which run is which figure: the one place that maps the experiments of <see cref="ExperimentPlan"/> to the report's
/// sections and figures.
/// </summary>
public sealed record ReportPlan(IReadOnlyList<SectionPlan> Sections)
{
    /// <summary>The report's structure: Q2.2a/b, Q3.1a/b, Q3.2b, Q4.1, Q4.2, Q4.3.</summary>
    public static ReportPlan Report { get; } = new(
    [
        new("Q2.2a Linear regression (SGD) and the analytic solution",
            "Per-example SGD from w = 0, η = 0.001, 150 epochs on Ames (y = ln price); ‖ŵ − w‖ is the distance to the ridge solution ŵ = (XᵀX + λI)⁻¹Xᵀy.",
            [
                new("fig2a", "Figure 2a", FigureKind.WeightDistance, "distance to the analytic solution", "‖ŵ − w‖ between the analytic ridge solution and the SGD weights after each epoch."),
                new("fig2b", "Figure 2b", FigureKind.RegressionLoss, "linear regression loss", "Train and test loss (RMSE of ln(price)) per epoch; the test loss is lowest near epoch 71 in the report."),
            ], [ExperimentPlan.Q22aLinear]),
        new("Q2.2b Neural regressor",
            "348 → 150 ReLU → 1, squared loss, η = 0.001, 150 epochs, weights ~ N(0.1, 0.1).",
            [new("fig3", "Figure 3", FigureKind.RegressionLoss, "neural regressor loss", "Train and test loss (RMSE of ln(price)) per epoch.")],
            [ExperimentPlan.Q22bNeural]),
        new("Q3.1a Perceptron",
            "Multi-class perceptron on Fashion-MNIST, W = 0, 20 epochs.",
            [new("fig4", "Figure 4", FigureKind.Accuracy, "perceptron accuracy", "Dev and test accuracy per epoch.")],
            [ExperimentPlan.Q31aPerceptron]),
        new("Q3.1b Logistic regression",
            "Multinomial logistic regression, W = 0, η = 0.001, 20 epochs.",
            [new("fig5", "Figure 5", FigureKind.Accuracy, "logistic regression accuracy", "Dev and test accuracy per epoch.")],
            [ExperimentPlan.Q31bLogistic]),
        new("Q3.2b Multi-layer perceptron (hand-written backprop)",
            "784 → 200 ReLU → 10 softmax, cross-entropy, η = 0.001, 20 epochs, weights ~ N(0.1, 0.1).",
            [new("fig6", "Figure 6", FigureKind.Accuracy, "MLP accuracy", "Dev and test accuracy per epoch.")],
            [ExperimentPlan.Q32bMlp]),
        new("Q4.1 Logistic regression with autodiff: learning rate",
            "η ∈ {0.001, 0.01, 0.1}; the configuration with the best final dev accuracy is chosen and its test accuracy reported.",
            [
                new("fig7", "Figure 7", FigureKind.LossAndAccuracy, "Q4.1 chosen", "Training loss and validation (dev) accuracy per epoch of the configuration chosen on the dev set."),
                new("q4.1-compare", "Q4.1 comparison", FigureKind.StudyComparison, "Q4.1 learning rates: dev accuracy per epoch", "Dev accuracy per epoch of every configuration in the study."),
            ], ExperimentPlan.Q41),
        new("Q4.2 MLP with autodiff: one setting at a time",
            "From the defaults (η 0.01, hidden 200, dropout 0.3, ReLU, SGD) one setting changes at a time: η {0.001, 0.01, 0.1}, hidden {100, 200}, dropout {0.3, 0.5}, activation {relu, tanh}, optimizer {sgd, adam}.",
            [
                new("fig8", "Figure 8", FigureKind.LossAndAccuracy, "Q4.2 chosen", "Training loss and validation (dev) accuracy per epoch of the configuration chosen on the dev set."),
                new("q4.2-compare", "Q4.2 comparison", FigureKind.StudyComparison, "Q4.2 settings: dev accuracy per epoch", "Dev accuracy per epoch of every configuration in the study."),
            ], ExperimentPlan.Q42),
        new("Q4.3 Deeper MLPs",
            "2 and 3 hidden layers with the Q4.2 defaults.",
            [
                new("fig9", "Figure 9", FigureKind.LossAndAccuracy, "Q4.3 chosen", "Training loss and validation (dev) accuracy per epoch of the configuration chosen on the dev set."),
                new("q4.3-compare", "Q4.3 comparison", FigureKind.StudyComparison, "Q4.3 depth: dev accuracy per epoch", "Dev accuracy per epoch of every depth."),
            ], ExperimentPlan.Q43),
    ]);
}
