using Microsoft.Extensions.Logging;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Engines;

/// <summary>Builds the engine the RolloutEngine section asks for; remote engines are probed before it returns.</summary>
public static class RolloutEngineFactory
{
    /// <param name="modelPath">Model:Path: the engines' launch model and the tokenizer files of every synced folder.</param>
    /// <param name="startStep">The step the run starts at. Engines are assumed to serve version 0 (Model:Path); the
    /// start-up sync (VerifySyncAtStart) loads the starting weights as version startStep, and without it a resumed run
    /// syncs before its first rollout.</param>
    public static IRolloutEngine Create(RolloutEngineOptions options, CausalLm policy, PromptEncoder encoder, string modelPath,
        string outputDir, int startStep, ILogger logger)
    {
        if (options.Kind == RolloutEngineKind.Local)
            return new LocalRolloutEngine(policy, ids => encoder.Tokenizer.Decode(ids));
        var syncDir = string.IsNullOrWhiteSpace(options.SyncDir) ? Path.Combine(outputDir, "engine-weights") : options.SyncDir;
        logger.LogInformation("Remote rollouts ({Dialect}, {Balancing}) from {Urls}; weights synced through {SyncDir}",
            options.Dialect, options.Balancing, string.Join(", ", options.Urls), syncDir);
        var engine = new RemoteRolloutEngine(options, modelPath, syncDir, startVersion: 0, logger);
        try { engine.Start(policy, startStep); }
        catch { engine.Dispose(); throw; }
        return engine;
    }
}
