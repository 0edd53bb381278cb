using System.Text.Json.Nodes;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The one way a feature joins the training step. The loop resolves every registered extension from DI, in
/// registration order (AddTrainer lists them), and calls each phase on each of them in that order:
/// <code>
/// Attach(run) once ─► LoadState(saved) ─► per step: rollout ─► AfterRollout* ─► update (BeginPass* per pass) ─► AfterUpdate* ─► SaveState at checkpoints
/// </code>
/// Every phase has a do-nothing default, so an extension implements only the phases it uses; one that does not apply
/// to the run (replay without sources, correction with a local sampler) stays idle after <see cref="Attach"/>.
/// All phases run on the training thread, inside the step's dispose scope.
/// </summary>
public interface IStepExtension
{
    /// <summary>Key of its state in trainer_state.json (unique among extensions).</summary>
    string Name { get; }

    /// <summary>Once, after the models and data are loaded and before any saved state is restored.</summary>
    void Attach(TrainingRun run) { }

    /// <summary>Restores what <see cref="SaveState"/> wrote; null when the checkpoint holds nothing under <see cref="Name"/>.</summary>
    void LoadState(JsonNode? state) { }

    /// <summary>Its state for trainer_state.json; null = nothing to save.</summary>
    JsonNode? SaveState() => null;

    /// <summary>
    /// After the rollout phase of step <paramref name="step"/> (0-based): returns the batch the rest of the step trains
    /// on, the one it was given or a changed copy (corrected log-probs, re-weighted rewards, appended groups).
    /// </summary>
    RolloutBatch AfterRollout(RolloutBatch batch, int step, CancellationToken ct) => batch;

    /// <summary>
    /// At the start of update pass <paramref name="pass"/>, while the parameter gradients hold nothing of this pass:
    /// may back-propagate losses of its own, and returns a multiplier per sample of the batch (batch order) for its
    /// policy-gradient loss, or null for all 1.
    /// </summary>
    IReadOnlyList<double>? BeginPass(int pass) => null;

    /// <summary>After the update of the step that produced <paramref name="line"/>: adds its keys to the step's metrics line.</summary>
    void AfterUpdate(RolloutBatch batch, JsonObject line, CancellationToken ct) { }
}
