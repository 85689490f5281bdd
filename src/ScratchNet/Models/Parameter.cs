using System.Numerics;
namespace ScratchNet.Models;

/// <summary>
/// One trainable tensor of a model: its values and the gradient buffer that <c>Backward</c> accumulates into
/// (with <c>+=</c>, as micrograd does). <see cref="Shape"/> is the logical shape as the course wrote it (out, in);
/// <see cref="Layout"/> says how <see cref="Value"/> stores it.
/// </summary>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Parameter(string name, int[] shape, ParameterLayout layout)
    {
        Name = name;
        Shape = shape;
        Layout = layout;
        var length = 1;
        foreach (var dimension in shape)
            length *= dimension;
        Value = new T[length];
        Gradient = new T[length];
    }

    public string Name { get; }
    public int[] Shape { get; }
    public ParameterLayout Layout { get; }
    public T[] Value { get; }
    public T[] Gradient { get; }
}

/// <summary>How a 2-D parameter of logical shape (out, in) is laid out in memory.</summary>
public enum ParameterLayout
{
    /// <summary>C order of the logical shape (a vector, or a (out, in) matrix stored row by row).</summary>
    RowMajor,
    /// <summary>The transpose: (in, out) rows, one per input feature, so zero inputs skip a whole row.</summary>
    InputMajor,
}
