using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Gradients that a custom autograd function (<see cref="LmHeadLogProbs"/>, <see cref="ActivationCheckpoint"/>)
/// returns to the autograd engine. The engine takes its own reference when the callback returns, so the C# wrappers
/// only keep the memory alive; they are released at the next callback instead of at the end of the caller's
/// DisposeScope, which would hold e.g. a (V, C) lm_head gradient for the whole rest of the backward pass.
/// The list is per thread: a backward on another thread (parallel test classes, say) must not release gradients
/// this thread has handed over before the engine has taken them (with one shared list, PolicyUpdateCompositionTests
/// got a wrong gradient in 6 runs of 25 beside PolicyUpdateTests).
/// </summary>
internal static class GradientHandoff
{
    [ThreadStatic] private static List<Tensor>? _pending;

    // The autograd engine runs a CPU backward on the thread that called backward(), a CUDA one on its device's
    // worker thread; either way the next callback on the same thread releases what the previous one handed over.
    private static List<Tensor> Pending => _pending ??= new();

    /// <summary>Releases what earlier callbacks handed over; call first in every backward.</summary>
    public static void ReleaseEarlier()
    {
        foreach (var t in Pending) t.Dispose();
        Pending.Clear();
    }

    /// <summary>Records the gradients a callback is about to return (nulls skipped) and returns them.</summary>
    public static List<Tensor> Hand(List<Tensor> grads)
    {
        Pending.AddRange(grads.Where(g => g is not null));
        return grads;
    }
}
