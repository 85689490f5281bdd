using SkiaSharp;

namespace ScratchNet.Reports.Figures;

/// <summary>A grid of misclassified test images, each captioned with its true and predicted class.</summary>
internal static class MisclassifiedGrid
{
    private const int Columns = 8;
    private const int Scale = 3;
    private const int CellWidth = 118;
    private const int ImagePixels = FashionMnistClasses.ImageSide * Scale;
    private const int CellHeight = ImagePixels + 44;
    private const int TitleHeight = 44;
    private const int Margin = 12;

    /// <summary>The first <paramref name="limit"/> errors in test-set order.</summary>
    public static IReadOnlyList<TestPrediction> Pick(IReadOnlyList<TestPrediction> predictions, int limit) =>
        predictions.Where(p => p.Label != p.Predicted).OrderBy(p => p.Index).Take(limit).ToList();

    public static RenderedFigure Draw(string fileStem, string label, string title, string caption, IReadOnlyList<TestPrediction> errors, TestImageSource images)
    {
        var rows = Math.Max(1, (errors.Count + Columns - 1) / Columns);
        var width = 2 * Margin + Columns * CellWidth;
        var height = TitleHeight + rows * CellHeight + Margin;
        var bitmaps = errors.Select(e => ToBitmap(images(e.Index), e.Index)).ToList();
        try
        {
            byte[] png;
            using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
            {
                Paint(surface.Canvas, width, title, errors, bitmaps);
                using var image = surface.Snapshot();
                using var data = image.Encode(SKEncodedImageFormat.Png, 100);
                png = data.ToArray();
            }
            string svg;
            using (var stream = new MemoryStream())
            {
                using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
                    Paint(canvas, width, title, errors, bitmaps);
                svg = System.Text.Encoding.UTF8.GetString(stream.ToArray());
            }
            return new RenderedFigure(fileStem, label, caption, width, height, png, svg);
        }
        finally
        {
            foreach (var bitmap in bitmaps)
                bitmap.Dispose();
        }
    }

    private static void Paint(SKCanvas canvas, int width, string title, IReadOnlyList<TestPrediction> errors, IReadOnlyList<SKBitmap> bitmaps)
    {
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFamilyName(FigureStyle.FontName);
        using var titleFont = new SKFont(typeface, 18);
        using var labelFont = new SKFont(typeface, 12);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var wrong = new SKPaint { Color = new SKColor(0xd6, 0x27, 0x28), IsAntialias = true };
        canvas.DrawText(title, width / 2f, 28, SKTextAlign.Center, titleFont, ink);
        var names = FashionMnistClasses.Names;
        for (var i = 0; i < errors.Count; i++)
        {
            var x = Margin + i % Columns * CellWidth;
            var y = TitleHeight + i / Columns * CellHeight;
            var imageLeft = x + (CellWidth - ImagePixels) / 2f;
            // Nearest-neighbour upscaling keeps the 28×28 pixels crisp.
            using (var image = SKImage.FromBitmap(bitmaps[i]))
                canvas.DrawImage(image, new SKRect(imageLeft, y, imageLeft + ImagePixels, y + ImagePixels), new SKSamplingOptions(SKFilterMode.Nearest));
            var center = x + CellWidth / 2f;
            canvas.DrawText($"true: {names[errors[i].Label]}", center, y + ImagePixels + 16, SKTextAlign.Center, labelFont, ink);
            canvas.DrawText($"pred: {names[errors[i].Predicted]}", center, y + ImagePixels + 32, SKTextAlign.Center, labelFont, wrong);
        }
    }

    /// <summary>Fashion-MNIST stores ink as high values on black; drawn as dark ink on white, as the papers show it.</summary>
    private static SKBitmap ToBitmap(ReadOnlySpan<byte> pixels, int index)
    {
        const int side = FashionMnistClasses.ImageSide;
        if (pixels.Length != side * side)
            throw new ArgumentException($"Test image {index} has {pixels.Length} bytes; expected {side * side} (28×28).", nameof(pixels));
        var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
        var destination = bitmap.GetPixelSpan();
        for (var p = 0; p < pixels.Length; p++)
            destination[p] = (byte)(255 - pixels[p]);
        return bitmap;
    }
}
