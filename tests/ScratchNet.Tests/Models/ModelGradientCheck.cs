using ScratchNet.Models;

namespace ScratchNet.Tests.Models;

/// <summary>
/// A model's <c>Backward</c> against the calculus layer's central differences (<see cref="ScratchNet.Calculus.GradientCheck"/>):
/// all parameters are one vector, the loss a function of it, the analytic gradient what AccumulateGradients adds.
/// </summary>
internal static class ModelGradientCheck
{
    public static void Assert(IModel<double> model, Func<double> loss, double tolerance = 1e-6)
    {
        var parameters = model.Parameters;
        foreach (var parameter in parameters)
            Array.Clear(parameter.Gradient);
        loss();
        switch (model)
        {
            case IClassifierModel<double> classifier: classifier.Backward(); break;
            case IRegressorModel<double> regressor: regressor.Backward(); break;
        }
        model.AccumulateGradients();
        var point = parameters.SelectMany(p => p.Value).ToArray();
        var analytic = parameters.SelectMany(p => p.Gradient).ToArray();
        var check = ScratchNet.Calculus.GradientCheck.Gradient(values => LossAt(parameters, values, loss), point, analytic);
        LossAt(parameters, point, loss); // restore the weights
        Xunit.Assert.True(point.Length > 0, "the model has no parameters to check");
        Xunit.Assert.True(check.Passes(tolerance), $"{Describe(parameters, check.WorstIndex)}: {check}");
    }

    private static double LossAt(IReadOnlyList<Parameter<double>> parameters, double[] values, Func<double> loss)
    {
        var offset = 0;
        foreach (var parameter in parameters)
        {
            values.AsSpan(offset, parameter.Value.Length).CopyTo(parameter.Value);
            offset += parameter.Value.Length;
        }
        return loss();
    }

    private static string Describe(IReadOnlyList<Parameter<double>> parameters, int index)
    {
        foreach (var parameter in parameters)
        {
            if (index < parameter.Value.Length)
                return $"{parameter.Name}[{index}]";
            index -= parameter.Value.Length;
        }
        return "no entry";
    }
}
