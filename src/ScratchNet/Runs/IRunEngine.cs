using ScratchNet.IO;

namespace ScratchNet.Runs;

/// <summary>
/// One engine's side of a run (the scratch engine's learners, or TorchSharp), as the <see cref="RunDriver"/> drives it:
/// the driver owns the run folder (manifest, metrics, checkpoint, model, predictions) and the epoch history, the engine
/// owns the model, its optimizer and its random stream.
/// </summary>
public interface IRunEngine
{
    /// <summary>The engine's native library for the manifest (e.g. "TorchSharp 0.107.0, libtorch 2.10.0"); null when it has none.</summary>
    string? LibraryVersion { get; }

    /// <summary>
    /// Before <see cref="Train"/> of a resumed run: restores the state of the checkpoint's <paramref name="tensors"/> (read from
    /// <paramref name="source"/>, named in errors) written after the epochs of <paramref name="history"/>.
    /// </summary>
    void Restore(IReadOnlyList<SafeTensor> tensors, IReadOnlyList<EpochMetrics> history, string source);

    /// <summary>
    /// Trains the epochs after those already in <paramref name="history"/> up to the options' epoch count. Each finished
    /// epoch is added to <paramref name="history"/> and then reported to <paramref name="observer"/>, during which
    /// <see cref="CheckpointState"/> holds the state after it. A divergence or a cancellation is an outcome; any other
    /// failure is thrown (the driver records it as <see cref="RunStatus.Failed"/>).
    /// </summary>
    TrainingOutcome Train(List<EpochMetrics> history, ITrainingObserver observer, CancellationToken cancellation);

    /// <summary>Every number a resumed run needs to continue bit-identically after the epoch just reported (weights, optimizer state, …).</summary>
    IReadOnlyList<SafeTensor> CheckpointState();

    /// <summary>Metadata the checkpoint carries beside the driver's (e.g. how the random stream is restored); may be empty.</summary>
    IReadOnlyDictionary<string, string> CheckpointNotes { get; }

    /// <summary>After a completed <see cref="Train"/>: the trained weights under the names <c>model.safetensors</c> keeps.</summary>
    IReadOnlyList<SafeTensor> Weights();

    /// <summary>After a completed <see cref="Train"/>: a classifier's test-set predictions; null for a regressor.</summary>
    TestPredictions? Predictions();
}

/// <summary>The test set's true labels and a classifier's predicted classes, in test-set order (<c>test_predictions.csv</c>).</summary>
public sealed record TestPredictions(byte[] Labels, int[] Predicted);
