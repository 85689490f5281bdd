using ScratchNet.Benchmarking;
using Spectre.Console;

namespace ScratchNet.Cli.Commands;

/// <summary>A live terminal bar over every step of the run, described by the step in progress.</summary>
internal sealed class LiveBenchProgress(ProgressContext context, int totalSteps) : IBenchProgress
{
    private readonly ProgressTask _task = context.AddTask("bench", maxValue: totalSteps);
    private string _phase = "";

    public void Phase(string name) => _phase = name;

    public void Step(string description) => _task.Description = Markup.Escape($"{_phase}: {description}");

    public void StepDone() => _task.Increment(1);
}
