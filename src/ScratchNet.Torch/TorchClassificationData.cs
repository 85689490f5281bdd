namespace ScratchNet.Torch;

/// <summary>One split: row-major features (count × features, float32) and class labels in 0..classes-1.</summary>
public sealed record TorchSplit(float[] Features, long[] Labels)
{
    public int Count => Labels.Length;
}

/// <summary>Train, dev and test splits of a classification problem, as the course script keeps them (no bias column).</summary>
public sealed record TorchClassificationData(int Features, int Classes, TorchSplit Train, TorchSplit Dev, TorchSplit Test)
{
    public void Validate()
    {
        if (Features < 1)
            ThrowHelper.OutOfRange(nameof(Features), Features, "1 or more");
        if (Classes < 2)
            ThrowHelper.OutOfRange(nameof(Classes), Classes, "2 or more");
        Check(Train, nameof(Train));
        Check(Dev, nameof(Dev));
        Check(Test, nameof(Test));
    }

    private void Check(TorchSplit split, string name)
    {
        if (split.Count < 1)
            ThrowHelper.OutOfRange($"{name}.Labels.Length", split.Count, "1 or more examples");
        if (split.Features.LongLength != (long)split.Count * Features)
            ThrowHelper.LengthMismatch($"{name}.Features", split.Features.LongLength, (long)split.Count * Features, $"{split.Count} labels × {Features} features");
        foreach (long label in split.Labels)
        {
            if (label < 0 || label >= Classes)
                ThrowHelper.OutOfRange($"{name}.Labels", label, $"0..{Classes - 1}");
        }
    }
}
