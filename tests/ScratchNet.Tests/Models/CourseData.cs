using ScratchNet.Data;

namespace ScratchNet.Tests.Models;

/// <summary>
/// The course's data sets for the acceptance tests, read by the data layer: Fashion-MNIST from the Debian package
/// (course split), Ames from the repository's bundled data/ames/AmesHousing.csv.gz through the CSV pipeline (which
/// rebuilds the course's ames.npz bit for bit: AmesRealDataTests). Loaded once per test class.
/// </summary>
public sealed class CourseData
{
    private readonly Lazy<FashionMnist> _fashion = new(() => ScratchNet.Data.FashionMnist.Load(FashionMnistFiles.SystemDirectory));
    private readonly Lazy<AmesHousing> _ames = new(() => AmesHousing.LoadCsv(FindAmes()));

    public (LabeledImages Train, LabeledImages Dev, LabeledImages Test) FashionMnist => (_fashion.Value.Train, _fashion.Value.Dev, _fashion.Value.Test);
    public (RegressionSet Train, RegressionSet Test) Ames => (_ames.Value.Train, _ames.Value.Test);

    /// <summary>The bundled data/ames/AmesHousing.csv.gz (the test fails, saying how to restore it, when it is missing).</summary>
    internal static string FindAmes()
    {
        Tests.Data.RealData.RequireAmes();
        return Tests.Data.RealData.AmesCsv;
    }
}
