namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// One options class and the configuration path it is bound from ("Rollout", "Algorithm:Grpo"), as one of the
/// AddRollout/AddRewards/AddTrainer calls registered it (see <see cref="OptionsSections"/>).
/// </summary>
/// <param name="UnknownKeysAreErrors">Whether the binder refuses a key the class lacks; false only for a section whose
/// other keys are sub-sections bound to classes of their own ("Algorithm").</param>
public sealed record OptionsSection(Type OptionsType, string Path, bool UnknownKeysAreErrors);
