using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>The optimizer against PyTorch's update formulas written out naively, and the models' in-place SGD path against it.</summary>
public class OptimizerTests
{
    private static Parameter<double> Parameter(double[] value, double[] gradientSum)
    {
        var parameter = new Parameter<double>("W", [value.Length], ParameterLayout.RowMajor);
        value.CopyTo(parameter.Value, 0);
        gradientSum.CopyTo(parameter.Gradient, 0);
        return parameter;
    }

    [Fact]
    public void Sgd_applies_the_mean_gradient_plus_weight_decay_and_zeroes_the_gradient()
    {
        var p = Parameter([1.0, -2.0, 0.5], [0.6, 0.3, -0.9]);
        new Optimizer<double>(OptimizerKind.Sgd, 0.1, 0.01, [p]).Step(batchSize: 3);
        // w − η (Σg / 3 + λ w)
        Assert.Equal([1.0 - 0.1 * (0.2 + 0.01), -2.0 - 0.1 * (0.1 - 0.02), 0.5 - 0.1 * (-0.3 + 0.005)], p.Value, new Tolerance(1e-15));
        Assert.All(p.Gradient, g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Adam_follows_pytorchs_formula_over_three_steps()
    {
        double[] w = [0.3, -0.7];
        var p = Parameter(w, [0, 0]);
        var adam = new Optimizer<double>(OptimizerKind.Adam, 0.01, 0.1, [p]);
        double[] m = [0, 0], v = [0, 0];
        double[][] gradients = [[0.5, -1.5], [0.2, 0.4], [-0.3, 0.1]];
        for (var t = 1; t <= 3; t++)
        {
            gradients[t - 1].CopyTo(p.Gradient, 0);
            adam.Step(batchSize: 1);
            for (var i = 0; i < 2; i++)
            {
                var g = gradients[t - 1][i] + 0.1 * w[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                var mHat = m[i] / (1 - Math.Pow(0.9, t));
                var vHat = v[i] / (1 - Math.Pow(0.999, t));
                w[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
            Assert.Equal(w, p.Value, new Tolerance(1e-12));
        }
        Assert.Equal(3, adam.Steps);
    }

    [Fact]
    public void In_place_sgd_of_the_mlp_equals_accumulate_then_step()
    {
        var data = Synthetic.Images(30, 4);
        var (fast, slow) = (new Mlp<double>(36, [10, 8], 4), new Mlp<double>(36, [10, 8], 4));
        fast.Initialize(InitKind.Course, new NumpyRandomState(5));
        slow.Initialize(InitKind.Course, new NumpyRandomState(5));
        var optimizer = new Optimizer<double>(OptimizerKind.Sgd, 0.01, 0, slow.Parameters);
        var x = new double[36];
        for (var i = 0; i < data.Count; i++)
        {
            for (var j = 0; j < 36; j++)
                x[j] = data.Pixels(i)[j] / 256.0;
            Assert.Equal(fast.Forward(x, data.Label(i), null), slow.Forward(x, data.Label(i), null), 1e-12);
            fast.Backward();
            fast.SgdStep(0.01);
            slow.Backward();
            slow.AccumulateGradients();
            optimizer.Step(1);
        }
        for (var p = 0; p < fast.Parameters.Count; p++)
            Assert.Equal(fast.Parameters[p].Value, slow.Parameters[p].Value, new Tolerance(1e-12));
    }

    [Fact]
    public void Float32_tracks_float64_on_logistic_regression()
    {
        var data = Synthetic.Images(200, 6);
        var options = new TrainingOptions { Model = ModelKind.LogisticRegression, Epochs = 3, LearningRate = 0.05 };
        var accuracy = new List<double>();
        foreach (var precision in new[] { Precision.Float64, Precision.Float32 })
        {
            var (learner, stream) = LearnerFactory.ForClassification(options with { Precision = precision }, data, data, data);
            var history = new List<EpochMetrics>();
            Trainer.Run(learner, stream, 3, 1, history, NullObserver.Instance, CancellationToken.None);
            accuracy.Add(history[^1].TestAccuracy!.Value);
        }
        Assert.Equal(accuracy[0], accuracy[1], 0.02);
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
