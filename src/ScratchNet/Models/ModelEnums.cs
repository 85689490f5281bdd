using System.Text.Json.Serialization;

namespace ScratchNet.Models;

// These enums describe a model, not a training run: they live here so that Models does not depend on Training.
// Their names and members are written into run manifests as strings; renaming one changes the files.

/// <summary>The hidden layers' activation of the MLP and the neural regressor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Activation>))]
public enum Activation { Relu, Tanh }

/// <summary>
/// Weight initialisation: <see cref="Zeros"/> (the course's linear models), <see cref="Course"/> (N(0.1, 0.1) drawn with
/// numpy's stream, W1 then W2 …, biases 0) or <see cref="Torch"/> (PyTorch's default nn.Linear init).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<InitKind>))]
public enum InitKind { Zeros, Course, Torch }
