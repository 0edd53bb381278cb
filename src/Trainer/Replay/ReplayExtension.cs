using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Replay;

/// <summary>
/// Replay as a step extension (docs/algorithms.md#recap-weights): after the rollout it appends the replayed RL groups
/// to the batch (<see cref="ReplayMixer.Extend"/>); at each update pass it back-propagates the replayed SFT losses and
/// scales each task's policy-gradient samples (<see cref="ReplayStep.BeginPass"/>); then it writes replay/… metrics.
/// Idle when Replay:Sources is empty.
/// </summary>
public sealed class ReplayExtension(IOptions<ReplayOptions> replay, IOptions<RolloutOptions> rollout, IOptions<TrainingOptions> training)
    : IStepExtension
{
    private ReplayMixer? _mixer;
    private RolloutPhase? _rollout;
    private ReplayStep? _step;

    public string Name => "replay";

    public void Attach(TrainingRun run)
    {
        _mixer = ReplayMixer.Create(replay.Value, rollout.Value.PromptsPerStep, run.Encoder, run.Policy, training.Value);
        _rollout = run.Rollout;
    }

    public void LoadState(JsonNode? state) => _mixer?.LoadState(state);

    public JsonNode? SaveState() => _mixer?.SaveState();

    public RolloutBatch AfterRollout(RolloutBatch batch, int step, CancellationToken ct)
    {
        if (_mixer is null) return batch;
        _step = _mixer.Extend(step, batch, _rollout!, ct);
        return _step.Batch;
    }

    public IReadOnlyList<double>? BeginPass(int pass) => _step?.BeginPass(pass);

    public void AfterUpdate(RolloutBatch batch, JsonObject line, CancellationToken ct)
    {
        _step?.WriteMetrics(line);
        _step = null;
    }
}
