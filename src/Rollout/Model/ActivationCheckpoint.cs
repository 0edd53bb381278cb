using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Activation checkpointing (torch.utils.checkpoint with use_reentrant=True, which TorchSharp lacks): the forward of a
/// block runs without recording a graph and keeps only the block's inputs; backward runs the block again with grad
/// enabled and back-propagates through that fresh graph. Activation memory drops from every intermediate of every
/// block to one block's inputs per block, for one extra forward per block.
/// </summary>
/// <remarks>
/// The block must be a pure function of its tensor arguments and of module parameters (no dropout, no RNG, no
/// captured tensors): the recomputation then yields the same values, and parameter gradients accumulate into
/// <c>.grad</c> from the inner backward exactly as they would from the plain graph. LoRA dropout and the adapters'
/// on/off state qualify: a decoder layer fixes both in its LoraSwitch.LayerPass, and the recomputation re-enters it.
/// </remarks>
public sealed class ActivationCheckpoint : MultiTensorFunction<ActivationCheckpoint>
{
    public override string Name => nameof(ActivationCheckpoint);

    /// <summary>Runs <paramref name="block"/>(<paramref name="inputs"/>) under checkpointing; returns its output.</summary>
    public static Tensor Run(Func<Tensor[], Tensor> block, params Tensor[] inputs)
    {
        var vars = new object[inputs.Length + 1];
        vars[0] = block;
        for (int i = 0; i < inputs.Length; i++) vars[i + 1] = inputs[i];
        return apply(vars)[0];
    }

    public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
    {
        var inputs = vars.Skip(1).Cast<Tensor>().ToList();
        ctx.save_for_backward(inputs);
        ctx.save_data("block", vars[0]);
        ctx.save_data("needs_grad", inputs.Select(t => t.requires_grad).ToArray());
        return new List<Tensor> { ((Func<Tensor[], Tensor>)vars[0])(inputs.ToArray()) };
    }

    public override List<Tensor> backward(AutogradContext ctx, List<Tensor> gradOutputs)
    {
        GradientHandoff.ReleaseEarlier();
        var block = (Func<Tensor[], Tensor>)ctx.get_data("block");
        var needsGrad = (bool[])ctx.get_data("needs_grad");
        var grads = new List<Tensor> { null! };                  // no gradient for the block delegate itself
        using (var scope = NewDisposeScope())
        using (enable_grad())
        {
            var saved = ctx.get_saved_variables();
            var inputs = saved.Select((t, i) => needsGrad[i] ? t.detach().requires_grad_(true) : t).ToArray();
            var output = block(inputs);
            output.backward(new[] { gradOutputs[0] });
            for (int i = 0; i < inputs.Length; i++)
                grads.Add(needsGrad[i] && inputs[i].grad is { } g ? g.MoveToOuterDisposeScope() : null!);
            foreach (var g in gradOutputs) g.Dispose();
        }
        return GradientHandoff.Hand(grads);
    }
}
