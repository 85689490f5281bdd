namespace ScratchNet.Calculus;

/// <summary>
/// The claims of the report's Question 1 and 2.1, each checked numerically on seeded random points.
/// <c>./scratchnet calculus</c> prints these; the tests assert that all of them pass.
/// </summary>
public static partial class ReportClaims
{
    /// <summary>Worst acceptable finite-difference error (see <see cref="GradientCheck"/> for the error measure).</summary>
    public const double DerivativeTolerance = 1e-6;

    /// <summary>Smallest acceptable eigenvalue of a PSD matrix, relative to max(1, max |Hᵢⱼ|): rounding only.</summary>
    public const double EigenvalueTolerance = 1e-12;

    public static IReadOnlyList<ClaimResult> CheckAll(CalculusCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Points < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Points, "Points must be at least 1.");
        // Each claim draws from its own generator, so adding or reordering claims never changes another's points.
        return
        [
            Sigmoid11(options.Points, new Random(options.Seed)),
            BinaryLogistic12(options.Points, new Random(options.Seed + 1)),
            SoftmaxJacobian13(options.Points, new Random(options.Seed + 2)),
            Multinomial14(options.Points, new Random(options.Seed + 3)),
            AffineConvex15(options.Points, new Random(options.Seed + 4)),
            NonLinearNotConvex15(options.Points, new Random(options.Seed + 5)),
            SquaredLossConvex21(options.Points, new Random(options.Seed + 6)),
        ];
    }

    private static CheckOutcome MaxError(string what, int points, double worst) =>
        new(what, points, "max rel. error", worst, $"≤ {Format(DerivativeTolerance)}", worst <= DerivativeTolerance);

    private static CheckOutcome MinEigenvalue(string what, int points, double smallest) =>
        new(what, points, "min λ / max|Hᵢⱼ|", smallest, $"≥ -{Format(EigenvalueTolerance)}", smallest >= -EigenvalueTolerance);

    private static CheckOutcome ConvexMidpoint(string what, MidpointCheck check) =>
        new(what, check.Lines, "max midpoint gap", check.WorstGap, $"≤ {Format(ConvexityCheck.DefaultMidpointTolerance)}", check.ConsistentWithConvexity);

    /// <summary>λ_min(H) / max(1, max |Hᵢⱼ|), so that one tolerance fits matrices of any scale.</summary>
    private static double ScaledSmallestEigenvalue(double[] symmetric, int n)
    {
        var scale = 1.0;
        foreach (var value in symmetric)
            scale = Math.Max(scale, Math.Abs(value));
        return ConvexityCheck.SmallestEigenvalue(symmetric, n) / scale;
    }

    private static string Format(double tolerance) => tolerance.ToString("0e0", System.Globalization.CultureInfo.InvariantCulture);

    private static double Worse(double worst, double error) => double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worst, error);
}

/// <summary>How many random points each check uses, and the seed they are drawn from.</summary>
public sealed record CalculusCheckOptions(int Points = 1000, int Seed = 42);

/// <summary>One claim of the report: where it is, what it says, and the numerical checks that support it.</summary>
/// <param name="Id">Unique and stable: the section, plus "-affine" / "-nonlinear" for the two halves of 1.5.</param>
/// <param name="Section">The report's section (1.1 … 2.1).</param>
/// <param name="Equations">The report's equation numbers the claim covers, or "" where the section numbers none.</param>
/// <param name="Statement">The claim, in one line.</param>
/// <param name="Checks">The numerical checks; the claim holds when all pass.</param>
public sealed record ClaimResult(string Id, string Section, string Equations, string Statement, IReadOnlyList<CheckOutcome> Checks)
{
    public bool Passed => Checks.All(check => check.Passed);
}

/// <summary>One numerical check: what was compared, on how many points, the worst value seen and the pass criterion.</summary>
public sealed record CheckOutcome(string What, int Points, string Measure, double Value, string Criterion, bool Passed);
