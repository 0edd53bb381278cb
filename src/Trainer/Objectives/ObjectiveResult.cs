using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// The micro-batch loss to back-propagate and the numbers to log. <paramref name="Loss"/> lives in the caller's
/// dispose scope; metrics are plain doubles named as the source project logs them.
/// </summary>
/// <param name="Loss">Scalar, attached to the graph of <see cref="PolicyMicroBatch.LogProbs"/>.</param>
/// <param name="Metrics">Per micro-batch values (token means over this micro-batch's valid tokens).</param>
public sealed record ObjectiveResult(Tensor Loss, IReadOnlyDictionary<string, double> Metrics);
