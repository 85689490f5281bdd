using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Data;
using ScratchNet.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet classify perceptron|logistic|mlp`: the report's Question 3 on Fashion-MNIST.</summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var command = new Command("classify", "Train a classifier on Fashion-MNIST (the report's Question 3): dev and test accuracy each epoch.");
        var model = new Argument<string>("model") { Description = "perceptron, logistic (softmax regression) or mlp (hidden layers, softmax + cross-entropy)" }
            .AcceptOnlyFromAmong("perceptron", "logistic", "mlp");
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
            var resolved = options.Resolve(parse, kind);
            if (resolved.Engine != Engine.Scratch)
                throw new UsageException("--engine torch is not available in this build of classify; use --engine scratch.");
            var data = FashionMnist.Load(parse.GetValue(options.DataDir));
            var train = resolved.TrainLimit is { } limit ? data.Train.Take(limit) : data.Train;
            var (learner, stream) = LearnerFactory.ForClassification(resolved, train, data.Dev, data.Test);
            var provenance = new DataProvenance("fashion-mnist", data.Directory, data.Files.ToDictionary(f => Path.GetFileName(f.Path), f => f.Sha256));
            using var folder = RunFolder.Open(options.OutputFolder(parse, name));
            var run = new TrainingRun(resolved, learner, stream, folder, provenance);
            return TrainingConsole.Run(run, parse.GetValue(options.Resume), parse.InvocationConfiguration.Output);
        });
        return command;
    }
}
