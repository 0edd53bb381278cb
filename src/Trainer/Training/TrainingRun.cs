using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// What a run has loaded, handed to each <see cref="IStepExtension"/> once (<see cref="IStepExtension.Attach"/>): the
/// objects live as long as the run, options come to extensions through DI.
/// </summary>
/// <param name="Policy">The trained model (in eval mode between updates).</param>
/// <param name="Encoder">Chat template and tokenizer of the run.</param>
/// <param name="Dataset">Training prompts and the held-out split.</param>
/// <param name="Rewards">The reward mix, parsed from Rewards:File.</param>
/// <param name="Engine">Where rollouts are generated: the built-in sampler or a remote engine.</param>
/// <param name="Rollout">The rollout phase, for extensions that sample more groups in a step.</param>
/// <param name="Loss">The policy-gradient loss, for extensions that need its gradients outside the update.</param>
/// <param name="StartStep">Steps already completed (non-zero on resume).</param>
public sealed record TrainingRun(CausalLm Policy, PromptEncoder Encoder, RlDataset Dataset, RewardMix Rewards, IRolloutEngine Engine,
    RolloutPhase Rollout, PolicyLoss Loss, int StartStep);
