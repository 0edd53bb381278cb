namespace RlTrainer.Trainer.Engines;

/// <summary>Remote rollout engines could not serve a request or load weights; the message names every URL tried and why.</summary>
public sealed class RolloutEngineException(string message, Exception? inner = null) : Exception(message, inner);
