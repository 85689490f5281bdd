using System.Numerics;
using ScratchNet.IO;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// A model's parameters (and its optimizer's state) as safetensors: weights under their course names (<c>W1</c>,
/// <c>b1</c>, … or <c>W</c>) in the logical shape (out, in), whatever the memory layout; <c>F64</c> or <c>F32</c> by
/// precision. Restoring copies the exact bits back.
/// </summary>
public static class ModelState
{
    public static List<SafeTensor> Export<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensors = new List<SafeTensor>();
        foreach (var parameter in parameters)
        {
            var logical = parameter.Layout == ParameterLayout.InputMajor ? Transpose(parameter.Value, parameter.Shape[1], parameter.Shape[0]) : parameter.Value;
            tensors.Add(Tensor(parameter.Name, logical, [.. parameter.Shape.Select(d => (long)d)]));
        }
        return tensors;
    }

    public static void Import<T>(IReadOnlyList<Parameter<T>> parameters, IReadOnlyList<SafeTensor> tensors, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var parameter in parameters)
        {
            var values = Find<T>(tensors, parameter.Name, parameter.Value.Length, source);
            if (parameter.Layout == ParameterLayout.InputMajor)
                values = Transpose(values, parameter.Shape[0], parameter.Shape[1]);
            values.CopyTo(parameter.Value, 0);
        }
    }

    public static SafeTensor Tensor<T>(string name, T[] values, long[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? SafeTensor.FromDoubles(name, (double[])(object)values, shape)
        : typeof(T) == typeof(float) ? SafeTensor.FromFloats(name, (float[])(object)values, shape)
        : throw new NotSupportedException($"{typeof(T).Name} tensors cannot be saved; use float or double.");

    /// <summary>The tensor <paramref name="name"/> as <typeparamref name="T"/>, checked for dtype and length.</summary>
    public static T[] Find<T>(IReadOnlyList<SafeTensor> tensors, string name, int length, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = tensors.FirstOrDefault(t => t.Name == name)
            ?? throw new DataException($"{source}: tensor '{name}' is missing; it was written by a different model. Resume with the options of the interrupted run.");
        var expected = typeof(T) == typeof(double) ? "F64" : "F32";
        if (tensor.DType != expected || tensor.ElementCount != length)
            throw SettingNames.DataError($"{source}: tensor '{name}' is {tensor.DType} with {tensor.ElementCount} values; this run expects {expected} with {length}. Resume with the options of the interrupted run ({{Precision}} and the model's).");
        return typeof(T) == typeof(double) ? (T[])(object)tensor.ToDoubles() : (T[])(object)tensor.ToFloats();
    }

    // [rows, columns] → [columns, rows]
    private static T[] Transpose<T>(T[] values, int rows, int columns)
    {
        var result = new T[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
                result[c * rows + r] = values[r * columns + c];
        }
        return result;
    }
}
