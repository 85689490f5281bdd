using ScratchNet.Data;

namespace ScratchNet.Tests.Models;

/// <summary>
/// The course's data sets for the acceptance tests, read where they live (never copied into the repo) by the data
/// layer: Fashion-MNIST from the Debian package (course split), Ames from the course's ames.npz in
/// ../shared/datasets/ames. Loaded once per test class.
/// </summary>
public sealed class CourseData
{
    private readonly Lazy<FashionMnist> _fashion = new(() => ScratchNet.Data.FashionMnist.Load(FashionMnistFiles.SystemDirectory));
    private readonly Lazy<AmesHousing> _ames = new(() => AmesHousing.LoadNpz(FindAmes()));

    public (LabeledImages Train, LabeledImages Dev, LabeledImages Test) FashionMnist => (_fashion.Value.Train, _fashion.Value.Dev, _fashion.Value.Test);
    public (RegressionSet Train, RegressionSet Test) Ames => (_ames.Value.Train, _ames.Value.Test);

    internal static string FindAmes()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "datasets", "ames", AmesHousing.NpzName);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("ames.npz not found in any parent folder's shared/datasets/ames/: put the course's ames.npz there.");
    }
}
