namespace ScratchNet.Torch;

/// <summary>A named row-major array with its shape, e.g. a trained parameter ("layers.0.weight", [200, 784]).</summary>
public sealed record NamedArray<T>(string Name, T[] Data, long[] Shape);
