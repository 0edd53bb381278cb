namespace RlTrainer.Trainer.Training;

/// <summary>
/// A part of one optimizer step besides the policy-gradient loss of the rollout batch: extra losses (replayed SFT
/// items) and per-sample weights of the policy-gradient loss (objective weights). <see cref="PolicyUpdate"/> calls it
/// at the start of every update pass, while the parameter gradients are still zero.
/// </summary>
public interface IUpdateContribution
{
    /// <summary>
    /// Back-propagates the contribution's own losses for update pass <paramref name="pass"/> and returns the
    /// multiplier of each rollout sample's policy-gradient loss (one per sample of the batch, in batch order).
    /// </summary>
    IReadOnlyList<double> BeginPass(int pass);
}
