using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;
using ScratchNet.Training.Fast;

namespace ScratchNet.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/ScratchNet.Bench -- adam-profile [--examples N]`: per-example Adam on the MLP
/// 784-200-10 (q4 settings: η 0.01, dropout 0.3, PyTorch init), the dense path (Forward, Backward, AccumulateGradients,
/// <see cref="Optimizer{T}.Step"/>: every parameter at every step) against <see cref="PerExampleMlpAdam{T}"/> (W1's
/// zero-gradient steps replayed lazily), alternating blocks of 500 examples on twin models, which must end
/// bit-identical. Per path: wall and process CPU seconds scaled to 60,000 examples (the load of a shared machine
/// inflates the wall time; CPU time much less). Then the two floors of the lazy path: the replay kernel alone on one
/// row kept in L1 (compute: ns per element and step) and a streaming pass over W1, m and v (1.9 MB in float32)
/// reading and writing every element (the dense step's memory traffic: GB/s).
/// `-- adam-profile --threads [--examples N] [--from-step S]`: the lazy path on one thread against two (W1's columns
/// split), float32, alternating blocks of 500 examples on twin models from optimizer step S (default 17,000, where
/// √(1 − β2ᵗ) is 1, as in 98.6 % of a 20-epoch run); wall seconds per 60,000 examples, and the two must end
/// bit-identical.
/// </summary>
internal static class AdamProfile
{
    private const int Block = 500;
    private const int Epoch = 60_000;

    public static int Run(string[] args)
    {
        if (args.Contains("--threads"))
            return Threads(args.Where(a => a != "--threads").ToArray());
        if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "--examples"))
            throw new UsageException("adam-profile takes the options --examples N and --threads (with --from-step S).");
        var examples = args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 6_000;
        var data = FashionMnist.Load();
        var train = data.Train.Take(Math.Min(examples, data.Train.Count));
        Console.WriteLine($"per-example Adam, MLP 784-200-10, q4 settings, {train.Count:N0} examples, 1 thread; load average {MachineInfo.LoadAverage()}");
        Paths<float>("float32", train);
        Paths<double>("float64", train);
        Floors<float>("float32");
        Floors<double>("float64");
        Console.WriteLine($"load average after: {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static int Threads(string[] args)
    {
        int examples = 10_000, fromStep = 17_000;
        for (var i = 1; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture)
                : throw new UsageException($"{args[i]} needs a value.");
            _ = args[i] switch
            {
                "--examples" => examples = value,
                "--from-step" => fromStep = value,
                _ => throw new UsageException($"adam-profile --threads takes --examples N and --from-step S, not {args[i]}."),
            };
        }
        var train = FashionMnist.Load().Train;
        var (one, two) = (NewModel<float>(), NewModel<float>());
        var (oneOptimizer, twoOptimizer) = (new Optimizer<float>(OptimizerKind.Adam, 0.01, 0, one.Parameters), new Optimizer<float>(OptimizerKind.Adam, 0.01, 0, two.Parameters));
        oneOptimizer.RestoreSteps(fromStep);
        twoOptimizer.RestoreSteps(fromStep);
        var scale = (float)LabeledImages.PixelScale;
        var oneThread = new PerExampleMlpAdam<float>(one, oneOptimizer, scale, threads: 1);
        using var twoThreads = new PerExampleMlpAdam<float>(two, twoOptimizer, scale, threads: 2);
        var (oneMasks, twoMasks) = (new NumpyRandomState(7), new NumpyRandomState(7));
        Console.WriteLine($"per-example Adam, float32, q4 settings, {examples:N0} examples from step {fromStep:N0}, 1 vs 2 threads (split: {twoThreads.IsSplit}); load average {MachineInfo.LoadAverage()}");
        double oneWall = 0, twoWall = 0;
        var (oneBlocks, twoBlocks) = (new List<double>(), new List<double>());
        var ownerRuns = new List<long>();
        var ranByOwner = 0L;
        for (var start = 0; start < examples; start += Block)
        {
            var end = Math.Min(examples, start + Block);
            var wall = Time(() =>
            {
                for (var i = start; i < end; i++)
                    oneThread.Step(train.Pixels(i % train.Count), train.Label(i % train.Count), oneMasks);
            }).Wall;
            oneWall += wall;
            oneBlocks.Add(wall / (end - start));
            wall = Time(() =>
            {
                for (var i = start; i < end; i++)
                    twoThreads.Step(train.Pixels(i % train.Count), train.Label(i % train.Count), twoMasks);
            }).Wall;
            twoWall += wall;
            twoBlocks.Add(wall / (end - start));
            ownerRuns.Add(twoThreads.Partner!.RunByOwner - ranByOwner);
            ranByOwner = twoThreads.Partner.RunByOwner;
        }
        oneThread.ApplyPendingUpdate();
        twoThreads.ApplyPendingUpdate();
        Console.WriteLine("µs/step per block, 1 thread: " + string.Join(' ', oneBlocks.Select(b => (b * 1e6).ToString("F0", CultureInfo.InvariantCulture))));
        Console.WriteLine("µs/step per block, 2 threads: " + string.Join(' ', twoBlocks.Select(b => (b * 1e6).ToString("F0", CultureInfo.InvariantCulture))));
        Console.WriteLine($"halves run by the owner: {ownerRuns.Count(r => r > 0)} blocks with any; per block: {string.Join(' ', ownerRuns)}");
        var identical = one.Parameters.Zip(two.Parameters).All(p => p.First.Value.AsSpan().SequenceEqual(p.Second.Value));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"1 thread: {oneWall * Epoch / examples:F2} s wall per {Epoch:N0} (block median {Statistics.Median(oneBlocks) * 1e6:F1} µs/step); 2 threads: {twoWall * Epoch / examples:F2} s (block median {Statistics.Median(twoBlocks) * 1e6:F1} µs/step); 1 ÷ 2 = {oneWall / twoWall:F2}x; weights bit-identical: {identical}; load average after {MachineInfo.LoadAverage()}"));
        return identical ? 0 : 1;
    }

    private static Mlp<T> NewModel<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(FashionMnist.Features, [200], FashionMnist.Classes, Activation.Relu, 0.3);
        model.Initialize(InitKind.Torch, new NumpyRandomState(42));
        return model;
    }

    private static void Paths<T>(string name, LabeledImages train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (dense, lazy) = (NewModel<T>(), NewModel<T>());
        var denseOptimizer = new Optimizer<T>(OptimizerKind.Adam, 0.01, 0, dense.Parameters);
        var lazyOptimizer = new Optimizer<T>(OptimizerKind.Adam, 0.01, 0, lazy.Parameters);
        var adam = new PerExampleMlpAdam<T>(lazy, lazyOptimizer, T.CreateChecked(LabeledImages.PixelScale));
        var (denseMasks, lazyMasks) = (new NumpyRandomState(7), new NumpyRandomState(7));
        var input = new T[train.Features];
        var scale = T.CreateChecked(LabeledImages.PixelScale);
        double denseWall = 0, denseCpu = 0, lazyWall = 0, lazyCpu = 0;
        for (var start = 0; start < train.Count; start += Block)
        {
            var end = Math.Min(train.Count, start + Block);
            var (wall, cpu) = Time(() =>
            {
                for (var i = start; i < end; i++)
                {
                    var pixels = train.Pixels(i);
                    for (var j = 0; j < input.Length; j++)
                        input[j] = T.CreateTruncating(pixels[j]) * scale;
                    dense.Forward(input, train.Label(i), denseMasks);
                    dense.Backward();
                    dense.AccumulateGradients();
                    denseOptimizer.Step(1);
                }
            });
            (denseWall, denseCpu) = (denseWall + wall, denseCpu + cpu);
            (wall, cpu) = Time(() =>
            {
                for (var i = start; i < end; i++)
                    adam.Step(train.Pixels(i), train.Label(i), lazyMasks);
            });
            (lazyWall, lazyCpu) = (lazyWall + wall, lazyCpu + cpu);
        }
        adam.ApplyPendingUpdate();
        var identical = dense.Parameters.Zip(lazy.Parameters).All(p => p.First.Value.AsSpan().SequenceEqual(p.Second.Value));
        var scaleTo = (double)Epoch / train.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: dense Adam {denseWall * scaleTo:F2} s wall, {denseCpu * scaleTo:F2} s CPU per {Epoch:N0}; lazy W1 {lazyWall * scaleTo:F2} s wall, {lazyCpu * scaleTo:F2} s CPU; ratio (CPU) {denseCpu / lazyCpu:F2}x; weights bit-identical: {identical}"));
    }

    // the replay kernel on one 200-wide row in L1 (k zero-gradient steps per call), and a read-write stream over
    // three W1-sized arrays (w, m, v; the dense step also reads and zeroes the gradient)
    private static void Floors<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Steps = 20_000, Calls = 20;
        T[] w = new T[200], m = new T[200], v = new T[200], stepSizes = new T[Steps], corrections = new T[Steps];
        var optimizer = new Optimizer<T>(OptimizerKind.Adam, 0.01, 0, []);
        for (var t = 0; t < Steps; t++)
            (stepSizes[t], corrections[t]) = optimizer.AdamScalars(t + 1);
        for (var i = 0; i < 200; i++)
            (w[i], m[i], v[i]) = (T.CreateChecked(0.01 * i), T.CreateChecked(1e-3), T.CreateChecked(1e-4));
        var (wall, cpu) = Time(() =>
        {
            for (var call = 0; call < Calls; call++)
                PerExampleMlpAdam<T>.ReplayZeroGradientSteps(w, m, v, stepSizes, corrections, 0);
        });
        var replayed = 200.0 * Steps * Calls;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: replay {wall * 1e9 / replayed:F3} ns wall, {cpu * 1e9 / replayed:F3} ns CPU per element-step (one 200-wide row in L1) → W1's 156,800 elements × 60,000 steps ≈ {cpu / replayed * 156_800 * 60_000:F2} s CPU per epoch"));

        var length = 784 * 200;
        T[] sw = new T[length], sm = new T[length], sv = new T[length];
        var half = T.CreateChecked(0.5);
        const int Passes = 200;
        var (streamWall, streamCpu) = Time(() =>
        {
            for (var pass = 0; pass < Passes; pass++)
            {
                Span<T> ws = sw, ms = sm, vs = sv;
                for (var i = 0; i < length; i += Vector<T>.Count)
                {
                    (new Vector<T>(ws[i..]) * half).CopyTo(ws[i..]);
                    (new Vector<T>(ms[i..]) * half).CopyTo(ms[i..]);
                    (new Vector<T>(vs[i..]) * half).CopyTo(vs[i..]);
                }
            }
        });
        var bytes = 2.0 * 3 * length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * Passes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: read+write stream over w, m, v ({3.0 * length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() / 1e6:F2} MB): {bytes / streamCpu / 1e9:F1} GB/s by CPU time ({bytes / streamWall / 1e9:F1} by wall), {streamCpu / Passes * 1e6:F0} µs CPU per pass"));
    }

    private static (double Wall, double Cpu) Time(Action work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        work();
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
    }
}
