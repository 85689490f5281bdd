using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Data;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet regress linear|neural`: the report's Question 2 on Ames Housing.</summary>
internal static class RegressCommand
{
    public static Command Create()
    {
        var command = new Command("regress", "Train a regressor on Ames Housing (the report's Question 2): per-example SGD, RMSE each epoch.");
        var model = new Argument<string>("model") { Description = "linear (w ← w + η(y − w·x)x, compared with the ridge solution) or neural (348 → hidden ReLU → 1)" }
            .OneOf("linear", "neural");
        var options = new TrainingCommandOptions(regression: true);
        command.Arguments.Add(model);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var name = parse.GetValue(model)!;
            var target = RunTarget.Resolve(parse, options, name == "linear" ? ModelKind.LinearRegression : ModelKind.NeuralRegressor, name);
            if (target.Finished is { } finished)
                return TrainingConsole.AlreadyFinished(finished, parse.InvocationConfiguration.Output);
            var resolved = target.Options;
            if (resolved.Engine != Engine.Scratch)
                throw new UsageException("--engine torch trains the classifiers only; regress runs on --engine scratch.");
            var ames = AmesHousing.LoadFrom(options.Locator(parse));
            var train = resolved.TrainLimit is { } limit ? Limit(ames.Train, limit) : ames.Train;
            resolved.ValidateBatchSize(train.Count);
            var (learner, stream) = LearnerFactory.ForRegression(resolved, train, ames.Test);
            var provenance = new DataProvenance("ames", ames.Source, ames.Checksums);
            using var folder = target.Open();
            var run = new RunDriver(resolved, new ScratchRunEngine(resolved, learner, stream), folder, provenance);
            return TrainingConsole.Run(run, target.Resume, parse.InvocationConfiguration.Output);
        });
        return command;
    }

    private static RegressionSet Limit(RegressionSet set, int count)
    {
        var n = Math.Min(count, set.Count);
        return new RegressionSet(set.AllFeatures[..(n * set.FeatureCount)].ToArray(), set.Targets[..n].ToArray(), set.FeatureCount);
    }
}
