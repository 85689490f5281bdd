using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ScratchNet.Bench;

/// <summary>
/// Benchmarks that report GFLOP/s expose <c>public static double Flops(string method, int size)</c>; the column
/// divides it by the median time of each case.
/// </summary>
internal sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend =>
        "1e9 floating-point operations per second at the median time (multiply and add count as two)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        MethodInfo? flops = benchmarkCase.Descriptor.Type.GetMethod("Flops", BindingFlags.Public | BindingFlags.Static);
        var report = summary[benchmarkCase];
        if (flops is null || report?.ResultStatistics is null)
            return "-";
        object? size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Size")?.Value;
        double count = (double)flops.Invoke(null, [benchmarkCase.Descriptor.WorkloadMethod.Name, size ?? 0])!;
        if (count <= 0)
            return "-";
        // The median, not the mean: on a shared machine a few slow iterations should not set the rate.
        double seconds = report.ResultStatistics.Median / 1e9;
        return (count / seconds / 1e9).ToString("F1", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Adds the GFLOP/s column to the default configuration.</summary>
internal sealed class GflopsConfig : ManualConfig
{
    public GflopsConfig() => AddColumn(StatisticColumn.Median, StatisticColumn.Min, new GflopsColumn());
}
