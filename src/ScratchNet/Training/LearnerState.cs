using System.Numerics;
using ScratchNet.IO;
using ScratchNet.Models;

namespace ScratchNet.Training;

/// <summary>
/// A learner's checkpoint tensors: the weights (<see cref="ModelState"/>), the optimizer's step count
/// (<c>optimizer.steps</c>) and, for Adam, its moments (<c>adam.m.W1</c>, <c>adam.v.W1</c>, … in storage order).
/// </summary>
internal static class LearnerState
{
    public static List<SafeTensor> Save<T>(IReadOnlyList<Parameter<T>> parameters, Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensors = ModelState.Export(parameters);
        tensors.Add(SafeTensor.FromLongs("optimizer.steps", [optimizer.Steps], 1));
        for (var p = 0; p < optimizer.FirstMoments.Count; p++)
        {
            tensors.Add(ModelState.Tensor($"adam.m.{parameters[p].Name}", optimizer.FirstMoments[p], [optimizer.FirstMoments[p].Length]));
            tensors.Add(ModelState.Tensor($"adam.v.{parameters[p].Name}", optimizer.SecondMoments[p], [optimizer.SecondMoments[p].Length]));
        }
        return tensors;
    }

    public static void Load<T>(IReadOnlyList<Parameter<T>> parameters, Optimizer<T> optimizer, IReadOnlyList<SafeTensor> tensors, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelState.Import(parameters, tensors, source);
        var steps = tensors.FirstOrDefault(t => t.Name == "optimizer.steps")
            ?? throw new DataException($"{source}: tensor 'optimizer.steps' is missing; the checkpoint is incomplete.");
        var count = steps.ToLongs();
        if (count is not [>= 0])
            throw new DataException($"{source}: tensor 'optimizer.steps' holds [{string.Join(", ", count)}], expected one step count ≥ 0; the checkpoint is corrupt, delete it and re-run.");
        optimizer.RestoreSteps(count[0]);
        for (var p = 0; p < optimizer.FirstMoments.Count; p++)
        {
            ModelState.Find<T>(tensors, $"adam.m.{parameters[p].Name}", optimizer.FirstMoments[p].Length, source).CopyTo(optimizer.FirstMoments[p], 0);
            ModelState.Find<T>(tensors, $"adam.v.{parameters[p].Name}", optimizer.SecondMoments[p].Length, source).CopyTo(optimizer.SecondMoments[p], 0);
        }
    }
}
