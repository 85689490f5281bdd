namespace ScratchNet.Calculus;

/// <summary>
/// Central finite differences in double against an analytic derivative. Each check returns the worst entry;
/// a typical test is one line: <c>Assert.True(GradientCheck.Gradient(f, x, g).MaxRelativeError &lt; 1e-6)</c>.
/// </summary>
/// <remarks>
/// Error measure: |analytic − numeric| / max(1, |analytic|, |numeric|): relative for entries above 1, absolute below,
/// so an entry that is 0 analytically (σ'(1e4)) does not divide rounding noise by rounding noise.
/// Step: a fixed h = 1e-5 (near ∛ε, the optimum for central differences of smooth functions of size ~1). The truncation
/// error is h²·f'''/6 ≈ 1e-11 and the rounding error ε·|f|/h ≈ 2e-11·|f|, so even at |z| = 1e4 (|f| ~ 1e4) a correct
/// derivative stays below ~1e-6 while a wrong one is off by its own size.
/// </remarks>
public static class GradientCheck
{
    public const double DefaultStep = 1e-5;

    /// <summary>Step of the second differences in <see cref="Hessian"/> (≈ ε^¼); rounding there is ε·|f|/h² ≈ 2e-8·|f|.</summary>
    public const double DefaultHessianStep = 1e-4;

    public static double RelativeError(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(1, Math.Max(Math.Abs(analytic), Math.Abs(numeric)));

    /// <summary>f'(x) ≈ (f(x + h) − f(x − h)) / (2h), dividing by the step actually taken after rounding x ± h.</summary>
    public static double NumericDerivative(Func<double, double> f, double x, double step = DefaultStep)
    {
        double plus = x + step, minus = x - step;
        return (f(plus) - f(minus)) / (plus - minus);
    }

    public static DerivativeCheck Derivative(Func<double, double> f, double x, double analytic, double step = DefaultStep) =>
        DerivativeCheck.Compare([analytic], [NumericDerivative(f, x, step)], columns: 1);

    /// <summary>Compares the analytic gradient (length n) of f: ℝⁿ → ℝ at x with central differences.</summary>
    public static DerivativeCheck Gradient(Func<double[], double> f, double[] x, ReadOnlySpan<double> analytic, double step = DefaultStep)
    {
        ThrowHelper.IfLengthNot(analytic.Length, x.Length, "n = x.Length", nameof(analytic));
        return DerivativeCheck.Compare(analytic, NumericGradient(f, x, step), columns: x.Length);
    }

    /// <summary>Compares the analytic Jacobian J[i, j] = ∂fᵢ/∂xⱼ (m×n, row-major) of f: ℝⁿ → ℝᵐ at x.
    /// For a Hessian of f with a known gradient, pass the gradient as f: this is the most accurate Hessian check.</summary>
    public static DerivativeCheck Jacobian(Func<double[], double[]> f, double[] x, ReadOnlySpan<double> analytic, double step = DefaultStep)
    {
        var numeric = NumericJacobian(f, x, step);
        ThrowHelper.IfLengthNot(analytic.Length, numeric.Length, "m×n", nameof(analytic));
        return DerivativeCheck.Compare(analytic, numeric, columns: x.Length);
    }

    /// <summary>Compares the analytic Hessian (n×n) of f: ℝⁿ → ℝ with second differences of f alone.</summary>
    public static DerivativeCheck Hessian(Func<double[], double> f, double[] x, ReadOnlySpan<double> analytic, double step = DefaultHessianStep)
    {
        ThrowHelper.IfLengthNot(analytic.Length, x.Length * x.Length, "n×n", nameof(analytic));
        return DerivativeCheck.Compare(analytic, NumericHessian(f, x, step), columns: x.Length);
    }

    public static double[] NumericGradient(Func<double[], double> f, double[] x, double step = DefaultStep)
    {
        var point = (double[])x.Clone();
        var gradient = new double[x.Length];
        for (var j = 0; j < x.Length; j++)
            gradient[j] = NumericDerivative(t => AtCoordinate(f, point, j, t), x[j], step);
        return gradient;
    }

    /// <summary>The m×n Jacobian of f at x by central differences, row-major.</summary>
    public static double[] NumericJacobian(Func<double[], double[]> f, double[] x, double step = DefaultStep)
    {
        var n = x.Length;
        var point = (double[])x.Clone();
        double[]? jacobian = null;
        for (var j = 0; j < n; j++)
        {
            double plus = x[j] + step, minus = x[j] - step;
            point[j] = plus;
            var fPlus = f(point);
            point[j] = minus;
            var fMinus = f(point);
            point[j] = x[j];
            jacobian ??= new double[fPlus.Length * n];
            for (var i = 0; i < fPlus.Length; i++)
                jacobian[(i * n) + j] = (fPlus[i] - fMinus[i]) / (plus - minus);
        }
        return jacobian ?? [];
    }

    /// <summary>H[i, j] ≈ (f(x + hᵢ + hⱼ) − f(x + hᵢ − hⱼ) − f(x − hᵢ + hⱼ) + f(x − hᵢ − hⱼ)) / 4h².</summary>
    public static double[] NumericHessian(Func<double[], double> f, double[] x, double step = DefaultHessianStep)
    {
        var n = x.Length;
        var point = (double[])x.Clone();
        var hessian = new double[n * n];
        double At(int i, double di, int j, double dj)
        {
            point[i] += di;
            point[j] += dj;
            var value = f(point);
            point[i] = x[i];
            point[j] = x[j];
            return value;
        }
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var value = (At(i, step, j, step) - At(i, step, j, -step) - At(i, -step, j, step) + At(i, -step, j, -step))
                    / (4 * step * step);
                hessian[(i * n) + j] = hessian[(j * n) + i] = value;
            }
        }
        return hessian;
    }

    private static double AtCoordinate(Func<double[], double> f, double[] point, int j, double value)
    {
        var saved = point[j];
        point[j] = value;
        var result = f(point);
        point[j] = saved;
        return result;
    }
}

/// <summary>The worst entry of a derivative check: its flat index (row·columns + column), both values and their error.</summary>
public readonly record struct DerivativeCheck(double MaxRelativeError, int WorstIndex, int Columns, double Analytic, double Numeric)
{
    public bool Passes(double tolerance) => MaxRelativeError <= tolerance;

    internal static DerivativeCheck Compare(ReadOnlySpan<double> analytic, ReadOnlySpan<double> numeric, int columns)
    {
        var worst = new DerivativeCheck(0, -1, columns, double.NaN, double.NaN);
        for (var i = 0; i < analytic.Length; i++)
        {
            var error = GradientCheck.RelativeError(analytic[i], numeric[i]);
            if (double.IsNaN(error))
                error = double.PositiveInfinity; // a NaN anywhere must fail every tolerance
            if (worst.WorstIndex < 0 || error > worst.MaxRelativeError)
                worst = new DerivativeCheck(error, i, columns, analytic[i], numeric[i]);
        }
        return worst;
    }

    public override string ToString() => WorstIndex < 0
        ? "no entries compared"
        : $"max relative error {MaxRelativeError:G3} at [{WorstIndex / Columns}, {WorstIndex % Columns}]: analytic {Analytic:G10}, numeric {Numeric:G10}";
}
