namespace ScratchNet.Benchmarking;

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
