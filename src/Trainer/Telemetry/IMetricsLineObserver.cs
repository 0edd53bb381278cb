using System.Text.Json.Nodes;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>
/// Reads each metrics.jsonl line (a "train" or an "eval" line) right after it is written, on the training thread, so
/// that telemetry and health see the very numbers of the file. Must be quick and must not throw.
/// </summary>
public interface IMetricsLineObserver
{
    void OnLine(JsonObject line);
}
