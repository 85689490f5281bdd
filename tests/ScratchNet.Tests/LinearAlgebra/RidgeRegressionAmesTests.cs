using ScratchNet.Tensors.LinearAlgebra;

namespace ScratchNet.Tests.LinearAlgebra;

/// <summary>The analytic solution of report Q2 on the real Ames training set, against numpy.linalg.solve.</summary>
public class RidgeRegressionAmesTests
{
    private const int Rows = 1465, Features = 348, Inputs = Features + 1; // + the bias column of ones

    [Theory]
    // numpy: w = np.linalg.solve(X.T @ X + λI, X.T @ y) with X = [Xtrain, 1]; w[0], w[1], w[348] (bias), ‖w‖, train RMSE
    // (TestData/make_course_constants.py prints them from the course's ames.npz).
    [InlineData(1e-4, 0.03407620919376753, -0.01296048935355735, 1.1023262904596394, 3.775247915396375, 0.09637933014907103, 1e-6)]
    [InlineData(1.0, 0.02865892314967438, 0.015827991460227994, 1.0104324037021994, 3.4171021779698187, 0.09960075071033592, 1e-9)]
    public void Matches_numpy_on_the_Ames_training_set(double lambda, double w0, double w1, double bias, double norm, double rmse, double tolerance)
    {
        var (x, y) = LoadAmesTrain();
        var w = RidgeRegression.Solve(x, y, Rows, Inputs, lambda);
        Assert.Equal(w0, w[0], tolerance);
        Assert.Equal(w1, w[1], tolerance);
        Assert.Equal(bias, w[Features], tolerance);
        Assert.Equal(norm, Math.Sqrt(w.Sum(v => v * v)), tolerance);
        Assert.Equal(rmse, Rmse(x, y, w), 1e-9);
    }

    private static double Rmse(double[] x, double[] y, double[] w)
    {
        var sum = 0.0;
        for (var i = 0; i < Rows; i++)
        {
            var prediction = 0.0;
            for (var j = 0; j < Inputs; j++)
                prediction += x[(i * Inputs) + j] * w[j];
            sum += (prediction - y[i]) * (prediction - y[i]);
        }
        return Math.Sqrt(sum / Rows);
    }

    /// <summary>
    /// Xtrain with a column of ones appended, and ytrain: the bundled CSV through the pipeline, which is the course's
    /// ames.npz bit for bit (AmesRealDataTests), so numpy's solution on the npz is the reference.
    /// </summary>
    private static (double[] X, double[] Y) LoadAmesTrain()
    {
        var train = ScratchNet.Data.AmesHousing.LoadCsv(Models.CourseData.FindAmes()).Train;
        Assert.Equal((Rows, Features), (train.Count, train.FeatureCount));
        var x = new double[Rows * Inputs];
        for (var i = 0; i < Rows; i++)
        {
            train.Row(i).CopyTo(x.AsSpan(i * Inputs));
            x[(i * Inputs) + Features] = 1;
        }
        return (x, train.Targets.ToArray());
    }
}
