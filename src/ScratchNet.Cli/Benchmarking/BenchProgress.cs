using Spectre.Console;

namespace ScratchNet.Cli.Benchmarking;

/// <summary>What `scratchnet bench` reports while it measures: a phase starts, a step in it starts, a step ends.</summary>
public interface IBenchProgress
{
    void Phase(string name);
    void Step(string description);
    void StepDone();
}

/// <summary>Plain lines, one per phase with the load average: for logs and output that is not a terminal.</summary>
public sealed class PlainBenchProgress(TextWriter output) : IBenchProgress
{
    public void Phase(string name) => output.WriteLine($"[bench] {name} (load average {MachineInfo.LoadAverage()})");

    public void Step(string description)
    {
    }

    public void StepDone()
    {
    }
}

/// <summary>A live terminal bar over every step of the run, described by the step in progress.</summary>
public sealed class LiveBenchProgress(ProgressContext context, int totalSteps) : IBenchProgress
{
    private readonly ProgressTask _task = context.AddTask("bench", maxValue: totalSteps);
    private string _phase = "";

    public void Phase(string name) => _phase = name;

    public void Step(string description) => _task.Description = Markup.Escape($"{_phase}: {description}");

    public void StepDone() => _task.Increment(1);
}
