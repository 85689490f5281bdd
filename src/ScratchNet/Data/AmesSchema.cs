namespace ScratchNet.Data;

/// <summary>
/// The columns of De Cock's Ames Housing data that the course's matrices are built from, in the course's order
/// (the file order of AmesHousing.csv). <c>Order</c> is ignored; <c>SalePrice</c> is the target.
/// </summary>
public static class AmesSchema
{
    public const string Id = "PID";
    public const string Target = "SalePrice";

    /// <summary>The 36 numeric features after <see cref="Id"/>, in file order.</summary>
    public static IReadOnlyList<string> NumericFeatures { get; } =
    [
        "MS SubClass", "Lot Frontage", "Lot Area", "Overall Qual", "Overall Cond", "Year Built", "Year Remod/Add",
        "Mas Vnr Area", "BsmtFin SF 1", "BsmtFin SF 2", "Bsmt Unf SF", "Total Bsmt SF", "1st Flr SF", "2nd Flr SF",
        "Low Qual Fin SF", "Gr Liv Area", "Bsmt Full Bath", "Bsmt Half Bath", "Full Bath", "Half Bath", "Bedroom AbvGr",
        "Kitchen AbvGr", "TotRms AbvGrd", "Fireplaces", "Garage Yr Blt", "Garage Cars", "Garage Area", "Wood Deck SF",
        "Open Porch SF", "Enclosed Porch", "3Ssn Porch", "Screen Porch", "Pool Area", "Misc Val", "Mo Sold", "Yr Sold",
    ];

    /// <summary>The 43 categorical columns, in file order; each becomes one indicator per level plus one for NA.</summary>
    public static IReadOnlyList<string> Categorical { get; } =
    [
        "MS Zoning", "Street", "Alley", "Lot Shape", "Land Contour", "Utilities", "Lot Config", "Land Slope",
        "Neighborhood", "Condition 1", "Condition 2", "Bldg Type", "House Style", "Roof Style", "Roof Matl",
        "Exterior 1st", "Exterior 2nd", "Mas Vnr Type", "Exter Qual", "Exter Cond", "Foundation", "Bsmt Qual",
        "Bsmt Cond", "Bsmt Exposure", "BsmtFin Type 1", "BsmtFin Type 2", "Heating", "Heating QC", "Central Air",
        "Electrical", "Kitchen Qual", "Functional", "Fireplace Qu", "Garage Type", "Garage Finish", "Garage Qual",
        "Garage Cond", "Paved Drive", "Pool QC", "Fence", "Misc Feature", "Sale Type", "Sale Condition",
    ];

    /// <summary>The numeric block: <see cref="Id"/> then <see cref="NumericFeatures"/> (37 columns).</summary>
    public static IReadOnlyList<string> NumericBlock { get; } = [Id, .. NumericFeatures];

    /// <summary>The course's shapes (ames.npz).</summary>
    public const int CourseRows = 2930;
    public const int CourseFeatures = 348;
    public const int CourseIndicators = 311;

    /// <summary>
    /// Missing-value markers: pandas (before 2.0) reads these as NaN. The data use only <c>NA</c> and the empty
    /// string; <c>None</c> is a real level (Mas Vnr Type), as it was for the course.
    /// </summary>
    public static bool IsMissing(string value) => value.Length == 0 || value == "NA";
}
