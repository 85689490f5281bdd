using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using ScratchNet.Cli;
using ScratchNet.Export;
using ScratchNet.Randomness;
using ScratchNet.Reports;
using ScratchNet.Torch;
using ScratchNet.Training;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace ScratchNet.Tests.Architecture;

/// <summary>
/// The dependency direction of docs/architecture.md, read from the compiled assemblies: lower layers never reach up
/// (Tensors and Data below Models, Models below the run contract (Runs), Runs below Training, everything below the CLI), so each layer can be understood and
/// tested without the ones above it. One test per rule, so a failure names the rule that broke.
/// </summary>
public sealed class LayerTests
{
    private static readonly System.Reflection.Assembly Core = typeof(NumpyRandomState).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture Code = new ArchLoader()
        .LoadAssemblies(Core, typeof(TorchEngine).Assembly, typeof(ReportWriter).Assembly, typeof(OnnxExporter).Assembly, typeof(CliApp).Assembly)
        .Build();

    private static readonly IObjectProvider<IType> Tensors = Layer("ScratchNet.Tensors");
    private static readonly IObjectProvider<IType> Data = Layer("ScratchNet.Data");
    private static readonly IObjectProvider<IType> Models = Layer("ScratchNet.Models");
    private static readonly IObjectProvider<IType> Training = Layer("ScratchNet.Training");
    private static readonly IObjectProvider<IType> Runs = Layer("ScratchNet.Runs");
    private static readonly IObjectProvider<IType> TorchLayer = Layer("ScratchNet.Torch");
    private static readonly IObjectProvider<IType> Reports = Layer("ScratchNet.Reports");
    private static readonly IObjectProvider<IType> CoreAssembly = Types().That().ResideInAssembly(Core).As("the core ScratchNet assembly");
    private static readonly IObjectProvider<IType> CliLayer = Layer("ScratchNet.Cli");
    private static readonly IObjectProvider<IType> FastPath = Layer("ScratchNet.Training.Fast");

    [Fact]
    public void Tensors_do_not_depend_on_Models_or_Data() =>
        Types().That().Are(Tensors).Should().NotDependOnAny(Types().That().Are(Models).Or().Are(Data)).Check(Code);

    [Fact]
    public void Data_does_not_depend_on_Models() =>
        Types().That().Are(Data).Should().NotDependOnAny(Models).Check(Code);

    [Fact]
    public void Models_do_not_depend_on_Training_Torch_or_Runs() =>
        Types().That().Are(Models).Should().NotDependOnAny(Types().That().Are(Training).Or().Are(TorchLayer).Or().Are(Runs)).Check(Code);

    [Fact]
    public void Runs_do_not_depend_on_Training_Torch_Reports_or_Cli() =>
        Types().That().Are(Runs).Should().NotDependOnAny(Types().That().Are(Training).Or().Are(TorchLayer).Or().Are(Reports).Or().Are(CliLayer)).Check(Code);

    [Fact]
    public void Reports_do_not_depend_on_Training() =>
        Types().That().Are(Reports).Should().NotDependOnAny(Training).Check(Code);

    [Fact]
    public void Torch_does_not_depend_on_Training() =>
        Types().That().Are(TorchLayer).Should().NotDependOnAny(Training).Check(Code);

    [Fact]
    public void Training_does_not_depend_on_Torch_or_Reports() =>
        Types().That().Are(Training).Should().NotDependOnAny(Types().That().Are(TorchLayer).Or().Are(Reports)).Check(Code);

    [Fact]
    public void Torch_Reports_and_core_do_not_depend_on_Cli() =>
        Types().That().Are(TorchLayer).Or().Are(Reports).Or().Are(CoreAssembly).Should().NotDependOnAny(CliLayer).Check(Code);

    /// <summary>
    /// The fast path (src/ScratchNet/Training/Fast) plugs in at one class, so it can change or go without touching
    /// anything else, and the reference it is tested against (Models, the Optimizer) never runs through it.
    /// </summary>
    [Fact]
    public void Only_the_classifier_learner_uses_the_fast_path()
    {
        Assert.True(FastPath.GetObjects(Code).Any(), $"no types in {FastPath.Description}");
        Types().That().AreNot(FastPath).And().AreNot(typeof(ClassifierLearner<>)).Should().NotDependOnAny(FastPath).Check(Code);
    }

    /// <summary>A misspelt layer would be empty and its "must not depend on" rule would pass for nothing.</summary>
    [Fact]
    public void Every_layer_has_types()
    {
        foreach (var layer in new[] { Tensors, Data, Models, Training, Runs, TorchLayer, Reports, CoreAssembly, CliLayer })
            Assert.True(layer.GetObjects(Code).Any(), $"no types in {layer.Description}");
    }

    /// <summary>The types of a namespace and the namespaces below it (ScratchNet.Tensors.Internals is Tensors).</summary>
    private static IObjectProvider<IType> Layer(string name) => Types().That().ResideInNamespaceOrBelow(name).As(name);
}
