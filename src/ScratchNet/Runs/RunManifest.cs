using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScratchNet.IO;

namespace ScratchNet.Runs;

[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus { Running, Completed, Diverged, Interrupted, Failed }

/// <summary>Where a run's data came from: the data set's name, folder and the SHA-256 of each file read.</summary>
public sealed record DataProvenance(string Name, string Location, IReadOnlyDictionary<string, string> Sha256);

/// <summary>The machine and software a run ran on.</summary>
public sealed record RunEnvironment(string ScratchNet, string Dotnet, string Os, string Architecture, int Cores, string? TorchSharp = null)
{
    public static RunEnvironment Current(string? torchSharpVersion = null) => new(
        typeof(RunManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        torchSharpVersion);
}

/// <summary>
/// <c>manifest.json</c>: everything needed to know what a run was and how it ended — the resolved options and their hash,
/// data checksums, versions, machine, timings, final metrics and status.
/// </summary>
public sealed record RunManifest
{
    public const string CurrentSchema = "scratchnet.run/1";

    public string Schema { get; init; } = CurrentSchema;
    public required string Name { get; init; }
    public required RunStatus Status { get; init; }
    public required TrainingOptions Options { get; init; }
    public required string ConfigHash { get; init; }
    public DataProvenance? Data { get; init; }
    public required RunEnvironment Environment { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset? FinishedUtc { get; init; }
    /// <summary>Total wall time of the run so far, summed over resumed sessions.</summary>
    public double Seconds { get; init; }
    public int EpochsCompleted { get; init; }
    /// <summary>The last epoch's metrics (plus extras such as the analytic solution's RMSE), by snake_case name.</summary>
    public IReadOnlyDictionary<string, double> Final { get; init; } = new Dictionary<string, double>();
    /// <summary>Why a run diverged, failed or was interrupted.</summary>
    public string? Message { get; init; }

    /// <summary>Reading refuses a null or missing value where the type has none (a damaged manifest would otherwise load
    /// with a null name or options and fail later, far from the cause).</summary>
    private static readonly JsonSerializerOptions ReadOptions = new(RunJson.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, RunJson.Options) + "\n");

    public static RunManifest Read(string path)
    {
        if (!File.Exists(path))
            throw new DataException($"{path} is missing: this folder is not a finished ScratchNet run (or it was interrupted before its first epoch). Re-run the training.");
        try
        {
            var manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), ReadOptions)
                ?? throw new DataException($"{path} is empty (JSON null); delete the run folder and re-run the training.");
            if (manifest.Schema != CurrentSchema)
                throw new DataException($"{path} has schema '{manifest.Schema}', expected '{CurrentSchema}'. It was written by another ScratchNet version; re-run the training.");
            if (!Enum.IsDefined(manifest.Status))
                throw new DataException($"{path} has status {(int)manifest.Status}, expected one of {string.Join(", ", Enum.GetNames<RunStatus>())}. Delete the run folder and re-run the training.");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new DataException($"{path} is not a valid run manifest ({MessageText.Printable(e.Message, 300)}). Delete the run folder and re-run the training.", e);
        }
    }
}
