using ScratchNet.Models;

namespace ScratchNet.Tests.Models;

/// <summary>
/// Central finite differences in float64 against a model's <c>Backward</c>: every parameter element's analytic
/// gradient must match (L(w + h) − L(w − h)) / 2h to a relative tolerance.
/// </summary>
internal static class GradientCheck
{
    public static void Assert(IModel<double> model, Func<double> loss, double tolerance = 1e-6, double step = 1e-6)
    {
        foreach (var parameter in model.Parameters)
            Array.Clear(parameter.Gradient);
        loss();
        switch (model)
        {
            case IClassifierModel<double> classifier: classifier.Backward(); break;
            case IRegressorModel<double> regressor: regressor.Backward(); break;
        }
        model.AccumulateGradients();
        var checkedCount = 0;
        foreach (var parameter in model.Parameters)
        {
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                var saved = parameter.Value[i];
                parameter.Value[i] = saved + step;
                var plus = loss();
                parameter.Value[i] = saved - step;
                var minus = loss();
                parameter.Value[i] = saved;
                var numeric = (plus - minus) / (2 * step);
                var analytic = parameter.Gradient[i];
                var scale = Math.Max(1.0, Math.Max(Math.Abs(numeric), Math.Abs(analytic)));
                Xunit.Assert.True(Math.Abs(numeric - analytic) <= tolerance * scale,
                    $"{parameter.Name}[{i}]: analytic {analytic:R}, finite difference {numeric:R}");
                checkedCount++;
            }
        }
        Xunit.Assert.True(checkedCount > 0, "the model has no parameters to check");
    }
}
