using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Training;

namespace ScratchNet.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/ScratchNet.Bench -- profile [--examples N]`: where a scratch-engine epoch
/// spends its time. Replays <see cref="ClassifierLearner{T}"/>'s step (pixels → forward → backward → in-place SGD
/// update, or gradient accumulation and one optimizer step per batch) with a timestamp around each sub-step, for
/// float32 and float64 at batch 1 and 64, and the per-example prediction evaluation uses. Timestamps cost ~20 ns
/// each, so the stage sums run slightly above the `epochs` numbers.
/// </summary>
internal static class EpochProfile
{
    public static int Run(string[] args)
    {
        if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "--examples"))
            throw new UsageException("profile takes one option: --examples N.");
        var examples = args.Length == 3 ? BenchSettings.Count(args[1], args[2], EpochWorkloads.FullEpoch) : 20_000;
        var data = FashionMnist.Load();
        var train = data.Train.Take(Math.Min(examples, data.Train.Count));
        Console.WriteLine($"scratch MLP 784-200-10 sub-step profile over {train.Count:N0} examples; load average {MachineInfo.LoadAverage()}");
        Console.WriteLine($"{"precision",-9} {"batch",5} {"pixels",8} {"forward",8} {"backward",8} {"update",8} {"opt.step",8} {"total",8}  (µs per example)");
        foreach (var batch in new[] { 1, 64 })
        {
            Profile<float>("float32", train, batch, 2_000);
            Profile<float>("float32", train, batch, train.Count);
            Profile<double>("float64", train, batch, train.Count);
        }
        Predict<float>("float32", data.Dev);
        Predict<double>("float64", data.Dev);
        Console.WriteLine($"load average after {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static void Profile<T>(string precision, LabeledImages train, int batch, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = NewModel<T>();
        var optimizer = new Optimizer<T>(OptimizerKind.Sgd, 0.001, 0, model.Parameters);
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var input = new T[model.Features];
        var learningRate = T.CreateChecked(0.001);
        var ticks = new long[5];
        for (var start = 0; start < count; start += batch)
        {
            var size = Math.Min(batch, count - start);
            for (var k = 0; k < size; k++)
            {
                var index = order[start + k];
                var t0 = Stopwatch.GetTimestamp();
                Load(train.Pixels(index), input);
                var t1 = Stopwatch.GetTimestamp();
                model.Forward(input, train.Label(index), null);
                var t2 = Stopwatch.GetTimestamp();
                model.Backward();
                var t3 = Stopwatch.GetTimestamp();
                if (batch == 1)
                    model.SgdStep(learningRate);
                else
                    model.AccumulateGradients();
                var t4 = Stopwatch.GetTimestamp();
                ticks[0] += t1 - t0;
                ticks[1] += t2 - t1;
                ticks[2] += t3 - t2;
                ticks[3] += t4 - t3;
            }
            if (batch > 1)
            {
                var s = Stopwatch.GetTimestamp();
                optimizer.Step(size);
                ticks[4] += Stopwatch.GetTimestamp() - s;
            }
        }
        if (count < train.Count)
            return; // warm-up pass
        var perExample = ticks.Select(t => t * 1e6 / Stopwatch.Frequency / count).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{precision,-9} {batch,5} {perExample[0],8:F2} {perExample[1],8:F2} {perExample[2],8:F2} {perExample[3],8:F2} {perExample[4],8:F2} {perExample.Sum(),8:F2}  → {perExample.Sum() * EpochWorkloads.FullEpoch / 1e6:F3} s per 50,000"));
    }

    private static void Predict<T>(string precision, LabeledImages dev) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = NewModel<T>();
        var input = new T[model.Features];
        long load = 0, forward = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            (load, forward) = (0, 0);
            for (var i = 0; i < dev.Count; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                Load(dev.Pixels(i), input);
                var t1 = Stopwatch.GetTimestamp();
                model.Predict(input);
                forward += Stopwatch.GetTimestamp() - t1;
                load += t1 - t0;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluation {precision}: {dev.Count:N0} examples, pixels {load * 1e3 / Stopwatch.Frequency:F1} ms + per-example forward {forward * 1e3 / Stopwatch.Frequency:F1} ms"));
    }

    private static Mlp<T> NewModel<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(FashionMnist.Features, [200], FashionMnist.Classes);
        model.Initialize(InitKind.Course, new NumpyRandomState(42));
        return model;
    }

    // as ClassifierLearner: x_j = pixel_j / 256
    private static void Load<T>(ReadOnlySpan<byte> pixels, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = T.CreateChecked(LabeledImages.PixelScale);
        for (var j = 0; j < pixels.Length; j++)
            destination[j] = T.CreateTruncating(pixels[j]) * scale;
    }
}
