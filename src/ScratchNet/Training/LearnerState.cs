using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Models;

namespace ScratchNet.Training;

/// <summary>Writes and reads a model's parameters and its optimizer's state as raw little-endian arrays.</summary>
internal static class LearnerState
{
    public static void Write<T>(BinaryWriter writer, IReadOnlyList<Parameter<T>> parameters, Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.Write(optimizer.Steps);
        foreach (var array in parameters.Select(p => p.Value).Concat(optimizer.State))
        {
            writer.Write(array.Length);
            writer.Write(MemoryMarshal.AsBytes(array.AsSpan()));
        }
    }

    public static void Read<T>(BinaryReader reader, IReadOnlyList<Parameter<T>> parameters, Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        optimizer.RestoreSteps(reader.ReadInt64());
        foreach (var array in parameters.Select(p => p.Value).Concat(optimizer.State))
        {
            var length = reader.ReadInt32();
            if (length != array.Length)
                throw new DataException($"checkpoint: a saved tensor has {length} values; this model expects {array.Length}. Resume with the same model options as the interrupted run.");
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(array.AsSpan()));
        }
    }
}
