using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

/// <summary>
/// The report plan and the experiment plan are linked by objects: each section holds the experiments that produce it,
/// and each reference number the experiment whose run it is compared with.
/// </summary>
public class ReportPlanTests
{
    [Fact]
    public void The_sections_hold_every_experiment_of_the_plan_once_and_select_its_run()
    {
        var inSections = ReportPlan.Report.Sections.SelectMany(s => s.Experiments.Select(e => (Section: s, Experiment: e))).ToList();

        Assert.Equal(ExperimentPlan.Build([Engine.Scratch], quick: false).Select(e => e.Name).Order(), inSections.Select(p => p.Experiment.Name).Order());
        foreach (var (section, experiment) in inSections)
        {
            Assert.Equal(experiment.Section, section.Id);
            // A run folder is matched by name: the experiment's own run must be one its section selects.
            Assert.True(section.StudyPrefix is { } prefix ? experiment.Name.StartsWith(prefix, StringComparison.Ordinal) : experiment.Name == section.RunName, experiment.Name);
        }
    }

    [Fact]
    public void Every_reference_number_belongs_to_the_section_of_its_experiment()
    {
        foreach (var reference in ReferenceNumbers.All)
        {
            var section = Assert.Single(ReportPlan.Report.Sections, s => s.Experiments.Contains(reference.Experiment));
            Assert.Equal(section.Id, reference.Section);
            Assert.Equal(reference.Experiment.Options, reference.Settings);
        }
    }
}
