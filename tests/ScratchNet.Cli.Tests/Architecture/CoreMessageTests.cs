using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using ScratchNet.Cli.Options;
using ScratchNet.Reports;
using ScratchNet.Runs;
using ScratchNet.Torch;

namespace ScratchNet.Tests.Architecture;

/// <summary>
/// The core names quantities, the CLI names flags: no string the core assemblies compile (every literal and string
/// constant, read from their metadata, so doc comments do not count) holds a command-line flag, and every term the core's
/// message templates may name (<see cref="MessageTerms"/>) has its flag in the CLI (<see cref="SettingFlags"/>).
/// </summary>
public sealed partial class CoreMessageTests
{
    /// <summary>The core assemblies whose messages a library user reads: ScratchNet, ScratchNet.Torch, ScratchNet.Reports.</summary>
    private static readonly string[] Core =
        [typeof(ScratchNetException).Assembly.Location, typeof(TorchEngine).Assembly.Location, typeof(ReportWriter).Assembly.Location];

    public static TheoryData<string> CoreAssemblies => new(Core);

    /// <summary>
    /// The flags that are not in messages, as they appear inside a string (the compiler folds constants into the literals
    /// that use them): apt's own flag, and the report's smoke banner about the command that made it.
    /// </summary>
    private static readonly string[] AllowedFragments =
        ["apt-get install --reinstall ", "epochs (--quick)."];

    /// <summary>Whole strings allowed: the pieces of the command line a report prints to reproduce its seed spread (SeedSpread).</summary>
    private static readonly HashSet<string> AllowedStrings = new(StringComparer.Ordinal) { "--preset ", "--engine ", "--grid ", "--mode grid --grid \"", "--out seeds" };

    private static bool NamesAFlag(string text) =>
        !AllowedStrings.Contains(text) && Flag().IsMatch(AllowedFragments.Aggregate(text, (rest, allowed) => rest.Replace(allowed, "", StringComparison.Ordinal)));

    [GeneratedRegex("--[a-z]")]
    private static partial Regex Flag();

    [Theory]
    [MemberData(nameof(CoreAssemblies))]
    public void Core_strings_name_no_command_line_flags(string assembly)
    {
        var flagged = Strings(assembly).Where(NamesAFlag).Distinct().ToList();

        Assert.True(flagged.Count == 0,
            $"{Path.GetFileName(assembly)} writes command-line flags into {flagged.Count} strings; name the quantity through a template key " +
            $"(MessageTerms, SettingNames) and map it to its flag in the CLI's SettingFlags:\n  {string.Join("\n  ", flagged)}");
    }

    /// <summary>The scan sees the strings it must judge (literals and constants), and each allowance is still needed.</summary>
    [Fact]
    public void The_scan_reads_literals_and_constants_and_every_allowance_is_used()
    {
        var all = Core.SelectMany(Strings).ToList();

        Assert.Contains(MessageTerms.Quantities["AnotherOut"], all); // a literal in a collection initializer
        Assert.Contains(ScratchNet.Data.FashionMnistFiles.Fix, all); // a constant
        Assert.All(AllowedStrings, allowed => Assert.Contains(allowed, all));
        Assert.All(AllowedFragments, allowed => Assert.Contains(all, text => text.Contains(allowed, StringComparison.Ordinal)));
        Assert.True(NamesAFlag("Choose another --out."));
    }

    [Fact]
    public void Every_term_has_its_flag_in_the_CLI_and_no_term_is_a_setting()
    {
        Assert.Equal(MessageTerms.Quantities.Keys.Order(StringComparer.Ordinal), SettingFlags.TermFlags.Keys.Order(StringComparer.Ordinal));
        var settings = OptionTable.All.Select(row => row.Property).Append(nameof(TrainingOptions.Preset));
        Assert.Empty(settings.Intersect(MessageTerms.Quantities.Keys, StringComparer.Ordinal));
    }

    /// <summary>A message about a term reads as a quantity from the core and as the flag from the CLI.</summary>
    [Fact]
    public void One_template_names_the_quantity_in_the_core_and_the_flag_in_the_CLI()
    {
        var error = MessageTerms.UsageError("{Out} runs/a already holds a run; choose {NewOut} or continue it {WithResume} runs/a {ExtendTo}.");

        Assert.Equal("The output folder runs/a already holds a run; choose a new output folder or continue it by resuming runs/a with more epochs.", error.Message);
        Assert.Equal("--out runs/a already holds a run; choose a new --out or continue it with --resume runs/a --extend-to EPOCHS.", SettingFlags.Message(error));
    }

    /// <summary>Every user string (<c>ldstr</c> literal) and string constant of <paramref name="assembly"/>.</summary>
    private static IEnumerable<string> Strings(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        var strings = new List<string>();
        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = metadata.GetNextHandle(handle))
            strings.Add(metadata.GetUserString(handle));
        foreach (var field in metadata.FieldDefinitions)
        {
            var constant = metadata.GetFieldDefinition(field).GetDefaultValue();
            if (!constant.IsNil && metadata.GetConstant(constant) is { TypeCode: ConstantTypeCode.String } value)
            {
                var blob = metadata.GetBlobReader(value.Value);
                strings.Add(blob.ReadUTF16(blob.Length));
            }
        }
        return strings;
    }
}
