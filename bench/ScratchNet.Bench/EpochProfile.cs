using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;
using ScratchNet.Training.Fast;

namespace ScratchNet.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/ScratchNet.Bench -- profile [--examples N] [--fused-only] [--small-steps]`: where a scratch-engine epoch
/// spends its time. Replays <see cref="ClassifierLearner{T}"/>'s step (pixels → forward → backward → in-place SGD
/// update, or gradient accumulation and one optimizer step per batch) with a timestamp around each sub-step, for
/// float32 and float64 at batch 1, 16 and 64, and the per-example prediction evaluation uses. Timestamps cost ~20 ns
/// each, so the stage sums run slightly above the `epochs` numbers. Then the unfused per-example step against the
/// fused <see cref="PerExampleMlpSgd{T}"/> the learner uses (alone with <c>--fused-only</c>), and the fused
/// step's small kernels one by one (alone with <c>--small-steps</c>).
/// </summary>
internal static partial class EpochProfile
{
    public static int Run(string[] args)
    {
        var fusedOnly = args.Contains("--fused-only");
        var smallStepsOnly = args.Contains("--small-steps");
        var options = args.Where(a => a is not ("--fused-only" or "--small-steps")).ToArray();
        if (options.Length is not (1 or 3) || (options.Length == 3 && options[1] != "--examples"))
            throw new UsageException("profile takes the options --examples N, --fused-only and --small-steps.");
        var examples = options.Length == 3 ? BenchSettings.Count(options[1], options[2], EpochWorkloads.FullEpoch) : 20_000;
        var data = FashionMnist.Load();
        var train = data.Train.Take(Math.Min(examples, data.Train.Count));
        Console.WriteLine($"scratch MLP 784-200-10 sub-step profile over {train.Count:N0} examples; load average {MachineInfo.LoadAverage()}");
        if (smallStepsOnly)
        {
            MedianSmallSteps<float>("float32", train);
            MedianSmallSteps<double>("float64", train);
            Console.WriteLine($"load average after {MachineInfo.LoadAverage()}");
            return 0;
        }
        if (!fusedOnly)
            ProfileSubSteps(train);
        Console.WriteLine("per-example SGD, unfused (Load → Forward → Backward → SgdStep) vs fused (PerExampleMlpSgd), alternating blocks:");
        FusedVersusUnfused<float>("float32", train);
        FusedVersusUnfused<double>("float64", train);
        MedianSubSteps<float>("float32", train);
        MedianSubSteps<double>("float64", train);
        MedianSmallSteps<float>("float32", train);
        MedianSmallSteps<double>("float64", train);
        FusedKernel<float>("float32", train);
        FusedKernel<double>("float64", train);
        if (!fusedOnly)
        {
            Predict<float>("float32", data.Dev);
            Predict<double>("float64", data.Dev);
        }
        Console.WriteLine($"load average after {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static void ProfileSubSteps(LabeledImages train)
    {
        Console.WriteLine($"{"precision",-9} {"batch",5} {"pixels",8} {"forward",8} {"backward",8} {"update",8} {"opt.step",8} {"total",8}  (µs per example)");
        foreach (var batch in new[] { 1, 16, 64 })
        {
            Profile<float>("float32", train, batch, 2_000);
            Profile<float>("float32", train, batch, train.Count);
            Profile<double>("float64", train, batch, train.Count);
        }
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

    // The two per-example paths alternating on the same short blocks of examples, so a burst of load on the shared
    // machine hits both alike. Reported: the CPU time this thread spent in each (descheduled time excluded, which
    // wall time under a load average of 20 is mostly made of), the fastest block by wall time, the median block ratio.
    private static void FusedVersusUnfused<T>(string precision, LabeledImages train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int block = 500;
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var learningRate = T.CreateChecked(0.001);
        var model = NewModel<T>();
        var input = new T[model.Features];
        var sgd = new PerExampleMlpSgd<T>(NewModel<T>(), T.CreateChecked(LabeledImages.PixelScale));
        double unfusedBest = double.MaxValue, fusedBest = double.MaxValue, unfusedCpu = 0, fusedCpu = 0;
        var ratios = new List<double>();
        for (var first = 0; first + block <= order.Length; first += block)
        {
            var indices = order.AsSpan(first, block);
            var (start, cpu) = (Stopwatch.GetTimestamp(), ThreadCpuSeconds());
            foreach (var index in indices)
            {
                Load(train.Pixels(index), input);
                model.Forward(input, train.Label(index), null);
                model.Backward();
                model.SgdStep(learningRate);
            }
            var unfused = Stopwatch.GetElapsedTime(start).TotalSeconds;
            unfusedCpu += ThreadCpuSeconds() - cpu;
            (start, cpu) = (Stopwatch.GetTimestamp(), ThreadCpuSeconds());
            foreach (var index in indices)
                sgd.Step(train.Pixels(index), train.Label(index), learningRate, null);
            var fused = Stopwatch.GetElapsedTime(start).TotalSeconds;
            fusedCpu += ThreadCpuSeconds() - cpu;
            (unfusedBest, fusedBest) = (Math.Min(unfusedBest, unfused), Math.Min(fusedBest, fused));
            ratios.Add(unfused / fused);
        }
        var perEpoch = (double)EpochWorkloads.FullEpoch / (ratios.Count * block);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{precision,-9} thread CPU per 50,000: unfused {unfusedCpu * perEpoch:F3} s, fused {fusedCpu * perEpoch:F3} s ({unfusedCpu / fusedCpu:F2}×); "
            + $"best block wall: unfused {unfusedBest * EpochWorkloads.FullEpoch / block:F3} s, fused {fusedBest * EpochWorkloads.FullEpoch / block:F3} s; "
            + $"median block ratio {Statistics.Median([.. ratios]):F2}× ({ratios.Count} blocks of {block})"));
    }

    // Per-sub-step medians over every example (a sub-step of a few µs is rarely preempted, so the median shows its
    // undisturbed cost even on a loaded machine): the unfused step, then the fused one re-enacted from its public parts.
    private static void MedianSubSteps<T>(string precision, LabeledImages train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var learningRate = T.CreateChecked(0.001);
        var model = NewModel<T>();
        var input = new T[model.Features];
        var ticks = new long[4, order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var index = order[i];
            var t0 = Stopwatch.GetTimestamp();
            Load(train.Pixels(index), input);
            var t1 = Stopwatch.GetTimestamp();
            model.Forward(input, train.Label(index), null);
            var t2 = Stopwatch.GetTimestamp();
            model.Backward();
            var t3 = Stopwatch.GetTimestamp();
            model.SgdStep(learningRate);
            var t4 = Stopwatch.GetTimestamp();
            (ticks[0, i], ticks[1, i], ticks[2, i], ticks[3, i]) = (t1 - t0, t2 - t1, t3 - t2, t4 - t3);
        }
        Console.WriteLine($"{precision,-9} unfused medians (µs): load {Median(ticks, 0)}, forward {Median(ticks, 1)}, backward {Median(ticks, 2)}, update {Median(ticks, 3)}");

        var fused = NewModel<T>();
        var first = fused.Network.Layers[0];
        var scale = T.CreateChecked(LabeledImages.PixelScale);
        int[] rows = new int[first.In], pendingRows = new int[first.In];
        T[] values = new T[first.In], pendingCoefficients = new T[first.In], pendingGradient = new T[first.Out];
        var pending = 0;
        var fusedTicks = new long[5, order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var index = order[i];
            var t0 = Stopwatch.GetTimestamp();
            var count = Tensors.NonZeroInputs.GatherNonZero(train.Pixels(index), scale, rows, values);
            var t1 = Stopwatch.GetTimestamp();
            first.Bias.Value.CopyTo(fused.Network.FirstLayerOutput);
            Tensors.NonZeroInputs.UpdateThenAccumulate<T>(pendingRows.AsSpan(0, pending), pendingCoefficients.AsSpan(0, pending), pendingGradient,
                rows.AsSpan(0, count), values.AsSpan(0, count), first.Weight.Value, fused.Network.FirstLayerOutput);
            var t2 = Stopwatch.GetTimestamp();
            fused.ForwardFromFirstLayerOutput(train.Label(index), null);
            var t3 = Stopwatch.GetTimestamp();
            fused.Backward();
            var t4 = Stopwatch.GetTimestamp();
            fused.Network.SgdStepExceptFirstWeight(learningRate);
            for (var k = 0; k < count; k++)
                pendingCoefficients[k] = -learningRate * values[k];
            fused.Network.FirstLayerOutputGradient.CopyTo(pendingGradient);
            (rows, pendingRows, pending) = (pendingRows, rows, count);
            var t5 = Stopwatch.GetTimestamp();
            (fusedTicks[0, i], fusedTicks[1, i], fusedTicks[2, i], fusedTicks[3, i], fusedTicks[4, i]) = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4);
        }
        Console.WriteLine($"{precision,-9} fused medians (µs): gather {Median(fusedTicks, 0)}, update+layer-1 forward {Median(fusedTicks, 1)}, "
            + $"rest of forward {Median(fusedTicks, 2)}, backward {Median(fusedTicks, 3)}, rest of update {Median(fusedTicks, 4)}");
    }

    private static string Median(long[,] ticks, int stage)
    {
        var values = Enumerable.Range(0, ticks.GetLength(1)).Select(i => ticks[stage, i] * 1e6 / Stopwatch.Frequency).ToArray();
        return Statistics.Median(values).ToString("F2", CultureInfo.InvariantCulture);
    }

    // The first-layer kernels alone on consecutive real images: example i's update and example i+1's forward as two
    // sweeps over W1, or as the one fused sweep; alternating blocks, thread CPU time.
    private static void FusedKernel<T>(string precision, LabeledImages train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int hidden = 200, block = 500;
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var features = train.Features;
        var rows = new int[order.Length][];
        var values = new T[order.Length][];
        var rowBuffer = new int[features];
        var valueBuffer = new T[features];
        for (var i = 0; i < order.Length; i++)
        {
            var count = Tensors.NonZeroInputs.GatherNonZero(train.Pixels(order[i]), T.CreateChecked(LabeledImages.PixelScale), rowBuffer, valueBuffer);
            (rows[i], values[i]) = (rowBuffer[..count], valueBuffer[..count]);
        }
        var w = NewModel<T>().Network.Layers[0].Weight.Value;
        var dz = new T[hidden];
        var z = new T[hidden];
        for (var c = 0; c < hidden; c++)
            dz[c] = T.CreateChecked(1e-6 * (c % 7 - 3));
        double twoSweeps = 0, oneSweep = 0;
        for (var first = 1; first + block <= order.Length; first += block)
        {
            var cpu = ThreadCpuSeconds();
            for (var i = first; i < first + block; i++)
            {
                Tensors.NonZeroInputs.Rank1UpdateRows<T>(rows[i - 1], values[i - 1], dz, w);
                Tensors.NonZeroInputs.UpdateThenAccumulate<T>([], [], dz, rows[i], values[i], w, z);
            }
            twoSweeps += ThreadCpuSeconds() - cpu;
            cpu = ThreadCpuSeconds();
            for (var i = first; i < first + block; i++)
                Tensors.NonZeroInputs.UpdateThenAccumulate<T>(rows[i - 1], values[i - 1], dz, rows[i], values[i], w, z);
            oneSweep += ThreadCpuSeconds() - cpu;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{precision,-9} first-layer kernels, thread CPU µs per example: update + forward {twoSweeps * 1e6 / (order.Length - 1):F2}, fused {oneSweep * 1e6 / (order.Length - 1):F2} ({twoSweeps / oneSweep:F2}×)"));
    }

    private static double ThreadCpuSeconds()
    {
        const int threadCpuTimeClock = 3; // CLOCK_THREAD_CPUTIME_ID
        if (ClockGetTime(threadCpuTimeClock, out var time) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        return time.Seconds + time.Nanoseconds * 1e-9;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);

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
