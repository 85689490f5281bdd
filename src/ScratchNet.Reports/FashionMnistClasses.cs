namespace ScratchNet.Reports;

/// <summary>The Fashion-MNIST class names, by label.</summary>
public static class FashionMnistClasses
{
    public static IReadOnlyList<string> Names { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public const int ImageSide = 28;
}
