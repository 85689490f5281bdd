using ScratchNet.Runs;
using static TorchSharp.torch;

namespace ScratchNet.Torch.Tests;

/// <summary>
/// The trainer must consume libtorch's global generator in hw1-q4.py's order: seed, build the model, then per epoch the
/// DataLoader's draws and per step the dropout masks. This writes that sequence out longhand and expects identical weights.
/// </summary>
public class CourseSequenceTests
{
    [Theory]
    [InlineData(ModelKind.LogisticRegression, OptimizerKind.Sgd)]
    [InlineData(ModelKind.Mlp, OptimizerKind.Adam)]
    public void Trainer_equals_the_course_loop_written_longhand(ModelKind kind, OptimizerKind optimizerKind)
    {
        var data = SyntheticProblem.Blobs(features: 6, classes: 3, train: 61, dev: 9, test: 9);
        var options = TorchOptions.Mlp with
        {
            Model = kind, Optimizer = optimizerKind, Epochs = 2, BatchSize = 4, HiddenSize = 5, Layers = 2, Dropout = 0.4,
            LearningRate = 0.05, L2 = 0.001, Seed = 42,
        };

        var trained = TorchClassifierTrainer.Train(options, data);

        TorchEngine.SetThreads(1);
        manual_seed(42);
        using var model = TorchModels.Create(options, 6, 3);
        using optim.Optimizer optimizer = optimizerKind == OptimizerKind.Sgd
            ? optim.SGD(model.parameters(), 0.05, weight_decay: 0.001)
            : optim.Adam(model.parameters(), 0.05, weight_decay: 0.001);
        using var x = tensor(data.Train.Features, [61, 6]);
        using var y = tensor(data.Train.Labels);
        var losses = new List<float>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            DataLoaderShuffle.DrawSeedFromGlobalGenerator(); // _BaseDataLoaderIter._base_seed
            long[] order = DataLoaderShuffle.Permutation(61, DataLoaderShuffle.DrawSeedFromGlobalGenerator());
            for (int start = 0; start < 61; start += 4)
            {
                using var scope = NewDisposeScope();
                var batch = tensor(order[start..Math.Min(start + 4, 61)]);
                model.train();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x.index_select(0, batch)), y.index_select(0, batch));
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
            }
        }

        var expected = TorchModels.ExportParameters(model);
        Assert.Equal(losses.Count, trained.Steps);
        for (int p = 0; p < expected.Count; p++)
            Assert.Equal(expected[p].Data, trained.Parameters[p].Data);
        Assert.Equal(losses.Skip(16).Average(), trained.Epochs[1].EpochMeanLoss, 6);
    }
}
