namespace ScratchNet.Data;

/// <summary>
/// Labelled images kept as bytes (0–255), row-major, one row of <see cref="Features"/> bytes per image.
/// A model scales a pixel by <see cref="PixelScale"/> when it reads it, so no float copy of the data set exists.
/// Instances may be views over a shared buffer (<see cref="Take"/>, the Fashion-MNIST split); they are read-only.
/// </summary>
public sealed class LabeledImages
{
    /// <summary>The course divided pixels by 256 (not 255).</summary>
    public const double PixelScale = 1.0 / 256;

    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly int _first; // index of this view's first example in the shared buffers

    public LabeledImages(byte[] pixels, byte[] labels, int features, int classes = 10)
        : this(pixels, labels, features, classes, first: 0, count: labels?.Length ?? 0, validate: true)
    {
    }

    private LabeledImages(byte[] pixels, byte[] labels, int features, int classes, int first, int count, bool validate)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (validate)
        {
            ThrowHelper.IfLessThanOne(features);
            if (classes is < 1 or > 256)
                throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be in [1, 256].");
            ThrowHelper.IfLengthNot(pixels.LongLength, (long)labels.Length * features, nameof(pixels));
            var bad = classes < 256 ? labels.AsSpan().IndexOfAnyInRange((byte)classes, byte.MaxValue) : -1;
            if (bad >= 0)
                throw new ArgumentException($"labels[{bad}] = {labels[bad]}; labels must be in [0, {classes - 1}].", nameof(labels));
        }
        _pixels = pixels;
        _labels = labels;
        _first = first;
        Count = count;
        Features = features;
        Classes = classes;
    }

    public int Count { get; }
    public int Features { get; }
    public int Classes { get; }

    /// <summary>One image: <see cref="Features"/> bytes.</summary>
    public ReadOnlySpan<byte> Pixels(int index)
    {
        ThrowHelper.IfOutOfRange(index, Count);
        return _pixels.AsSpan((_first + index) * Features, Features);
    }

    /// <summary>All images, row-major (<see cref="Count"/> × <see cref="Features"/>).</summary>
    public ReadOnlySpan<byte> AllPixels => _pixels.AsSpan(_first * Features, Count * Features);

    public ReadOnlySpan<byte> Labels => _labels.AsSpan(_first, Count);

    public byte Label(int index)
    {
        ThrowHelper.IfOutOfRange(index, Count);
        return _labels[_first + index];
    }

    /// <summary>The first <paramref name="count"/> examples, as a view (no copy).</summary>
    public LabeledImages Take(int count)
    {
        if (count < 0 || count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {Count}].");
        return Slice(0, count);
    }

    /// <summary>The examples at <paramref name="indices"/>, in that order (a copy).</summary>
    public LabeledImages Subset(ReadOnlySpan<int> indices)
    {
        var pixels = new byte[(long)indices.Length * Features];
        var labels = new byte[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Pixels(indices[i]).CopyTo(pixels.AsSpan(i * Features, Features));
            labels[i] = Label(indices[i]);
        }
        return new LabeledImages(pixels, labels, Features, Classes, 0, indices.Length, validate: false);
    }

    /// <summary>Examples [start, start + count) as a view. Bounds are checked by the caller.</summary>
    internal LabeledImages Slice(int start, int count) =>
        new(_pixels, _labels, Features, Classes, _first + start, count, validate: false);

    /// <summary>How many examples carry each label (index = class).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (var label in Labels)
            counts[label]++;
        return counts;
    }
}
