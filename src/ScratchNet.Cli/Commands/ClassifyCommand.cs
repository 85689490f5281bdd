using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Data;
using ScratchNet.Runs;
using ScratchNet.Torch;
using ScratchNet.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet classify perceptron|logistic|mlp`: the report's Question 3 on Fashion-MNIST.</summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var command = new Command("classify", "Train a classifier on Fashion-MNIST (the report's Question 3; Question 4 with --preset q4 / --engine torch): dev and test accuracy each epoch.");
        var model = new Argument<string>("model") { Description = "perceptron, logistic (softmax regression) or mlp (hidden layers, softmax + cross-entropy)" }
            .OneOf("perceptron", "logistic", "mlp");
        var options = new TrainingCommandOptions(regression: false);
        command.Arguments.Add(model);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var name = parse.GetValue(model)!;
            var kind = name switch
            {
                "perceptron" => ModelKind.Perceptron,
                "logistic" => ModelKind.LogisticRegression,
                _ => ModelKind.Mlp,
            };
            var target = RunTarget.Resolve(parse, options, kind, name);
            if (target.Finished is { } finished)
                return TrainingConsole.AlreadyFinished(finished, parse.InvocationConfiguration.Output);
            var resolved = target.Options;
            if (resolved.Engine == Engine.Torch)
                return TrainOnTorch(target, parse, options);
            var data = FashionMnist.LoadFrom(options.Locator(parse));
            var train = resolved.TrainLimit is { } limit ? data.Train.Take(Math.Min(limit, data.Train.Count)) : data.Train;
            resolved.ValidateBatchSize(train.Count);
            var (learner, stream) = LearnerFactory.ForClassification(resolved, train, data.Dev, data.Test);
            var provenance = new DataProvenance("fashion-mnist", data.Directory, data.Files.ToDictionary(f => Path.GetFileName(f.Path), f => f.Sha256));
            using var folder = target.Open();
            var run = new RunDriver(resolved, new ScratchRunEngine(resolved, learner, stream), folder, provenance);
            return TrainingConsole.Run(run, target.Resume, parse.InvocationConfiguration.Output);
        });
        return command;
    }

    // The TorchSharp engine (the report's Question 4): same options, same run folder, same console lines.
    private static int TrainOnTorch(RunTarget target, ParseResult parse, TrainingCommandOptions options)
    {
        var resolved = target.Options;
        TorchRunSetup.RequireSupported(resolved); // refuses unimplemented options before any data is read or folder made
        var data = FashionMnist.LoadFrom(options.Locator(parse));
        resolved.ValidateBatchSize(Math.Min(resolved.TrainLimit ?? int.MaxValue, data.Train.Count));
        var engine = new TorchRunEngine(resolved, data);
        using var folder = target.Open();
        return TrainingConsole.Run(new RunDriver(resolved, engine, folder, engine.Provenance), target.Resume, parse.InvocationConfiguration.Output);
    }
}
