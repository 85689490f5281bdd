using SkiaSharp;

namespace ScratchNet.Export;

/// <summary>
/// Turns a picture (PNG, JPEG, … any size, colour or grey, decoded by SkiaSharp) into a 28×28 grey image the way
/// Fashion-MNIST was made: the longest side fitted to 28 pixels (aspect kept), the image centred on a dark canvas, a light
/// garment on a dark background. <c>invert</c> is for the usual photo, a dark garment on a light background: its grey
/// levels are inverted (and transparent pixels count as the light background).
/// </summary>
public static class ImagePreparation
{
    public const int Side = 28;

    /// <summary>Decodes and prepares <paramref name="path"/>; a file that is empty, truncated or not an image is a <see cref="DataException"/>.</summary>
    public static byte[] FromFile(string path, bool invert)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot read the image ({e.Message}). Check the path.", e);
        }
        return FromBytes(bytes, path, invert);
    }

    public static byte[] FromBytes(byte[] bytes, string source, bool invert)
    {
        if (bytes.Length == 0)
            throw new DataException($"{source} is empty: pass a PNG or JPEG image (or an IDX images file with --range).");
        using var decoded = Decode(bytes, source);
        var grey = Grey(decoded, invert);
        return FitAndCentre(grey, decoded.Width, decoded.Height);
    }

    private static SKBitmap Decode(byte[] bytes, string source)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new DataException($"{source} is not an image SkiaSharp can decode (PNG, JPEG, WebP, GIF, BMP): pass a picture of one garment.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new DataException($"{source} could not be decoded completely ({result}): the file is truncated or corrupt. Pass a complete image.");
        }
        return bitmap;
    }

    // Luminance (ITU-R BT.601) of each pixel over the background: black, or white with invert; then inverted with invert.
    private static byte[] Grey(SKBitmap bitmap, bool invert)
    {
        var pixels = bitmap.GetPixelSpan();
        var grey = new byte[bitmap.Width * bitmap.Height];
        var background = invert ? 255.0 : 0.0;
        for (var i = 0; i < grey.Length; i++)
        {
            double r = pixels[4 * i], g = pixels[4 * i + 1], b = pixels[4 * i + 2], alpha = pixels[4 * i + 3] / 255.0;
            var luminance = alpha * (0.299 * r + 0.587 * g + 0.114 * b) + (1 - alpha) * background;
            var value = invert ? 255 - luminance : luminance;
            grey[i] = (byte)Math.Clamp(Math.Round(value), 0, 255);
        }
        return grey;
    }

    // The longest side scaled to 28 with an area average (each output pixel is the mean of the source area it covers,
    // which also upsamples), the other side in proportion, centred on a black 28×28 canvas.
    private static byte[] FitAndCentre(byte[] grey, int width, int height)
    {
        var scale = (double)Side / Math.Max(width, height);
        var fittedWidth = Math.Max(1, (int)Math.Round(width * scale));
        var fittedHeight = Math.Max(1, (int)Math.Round(height * scale));
        var left = (Side - fittedWidth) / 2;
        var top = (Side - fittedHeight) / 2;
        var result = new byte[Side * Side];
        for (var y = 0; y < fittedHeight; y++)
        {
            double y0 = y * (double)height / fittedHeight, y1 = (y + 1) * (double)height / fittedHeight;
            for (var x = 0; x < fittedWidth; x++)
            {
                double x0 = x * (double)width / fittedWidth, x1 = (x + 1) * (double)width / fittedWidth;
                double sum = 0, area = 0;
                for (var sy = (int)y0; sy < Math.Min(height, (int)Math.Ceiling(y1)); sy++)
                {
                    var coverY = Math.Min(y1, sy + 1) - Math.Max(y0, sy);
                    for (var sx = (int)x0; sx < Math.Min(width, (int)Math.Ceiling(x1)); sx++)
                    {
                        var cover = coverY * (Math.Min(x1, sx + 1) - Math.Max(x0, sx));
                        sum += cover * grey[sy * width + sx];
                        area += cover;
                    }
                }
                result[(top + y) * Side + left + x] = (byte)Math.Clamp(Math.Round(sum / area), 0, 255);
            }
        }
        return result;
    }
}
