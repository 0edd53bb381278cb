using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Gradients that a custom autograd function (<see cref="LmHeadLogProbs"/>, <see cref="ActivationCheckpoint"/>)
/// returns to the autograd engine. The engine takes its own reference when the callback returns, so the C# wrappers
/// only keep the memory alive; they are released at the next callback instead of at the end of the caller's
/// DisposeScope, which would hold e.g. a (V, C) lm_head gradient for the whole rest of the backward pass.
/// </summary>
internal static class GradientHandoff
{
    private static readonly List<Tensor> Pending = new();

    /// <summary>Releases what earlier callbacks handed over; call first in every backward.</summary>
    public static void ReleaseEarlier()
    {
        lock (Pending)
        {
            foreach (var t in Pending) t.Dispose();
            Pending.Clear();
        }
    }

    /// <summary>Records the gradients a callback is about to return (nulls skipped) and returns them.</summary>
    public static List<Tensor> Hand(List<Tensor> grads)
    {
        lock (Pending) Pending.AddRange(grads.Where(g => g is not null));
        return grads;
    }
}
