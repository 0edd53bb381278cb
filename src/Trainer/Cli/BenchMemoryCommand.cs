using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer bench memory`: the peak resident memory of one update step (forward, backward, AdamW) on one
/// micro-batch of synthetic rollouts, measured by the kernel's high-water mark, next to an estimate of its parts
/// (weights, gradients, AdamW moments, activations, logits), so that the term to shrink is visible.
/// </summary>
internal static class BenchMemoryCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var micro = new Option<int>("--micro-batch") { Description = "Sequences in the update's one micro-batch.", DefaultValueFactory = _ => 8 };
        var promptLen = new Option<int>("--prompt-len") { Description = "Prompt tokens per sequence.", DefaultValueFactory = _ => 128 };
        var completionLen = new Option<int>("--completion-len") { Description = "Completion tokens per sequence.", DefaultValueFactory = _ => 512 };
        var shared = new BenchUpdate();
        var steps = new Option<int>("--steps") { Description = "Update steps; the peak is over all of them (AdamW allocates its moments in the first).", DefaultValueFactory = _ => 1 };
        var device = CommonOptions.Device();
        var command = new Command("memory", "Peak memory of one update step and its parts.")
            { model, micro, promptLen, completionLen, steps, device };
        shared.AddTo(command);
        command.SetAction(r =>
        {
            using var m = shared.LoadModel(r, r.GetValue(model)!, r.GetValue(device)!);
            int b = r.GetValue(micro), p = r.GetValue(promptLen), c = r.GetValue(completionLen), chunkMB = r.GetValue(shared.ChunkMB);
            var batch = BenchTrainCommand.SyntheticBatch(m, b, p, c);
            var opt = BenchUpdate.Optimizer;
            using var adam = AdamWFactory.Create(m.TrainableParameters(), opt);
            var update = shared.Create(r, m, b, c, adam, opt);

            long before = RssSampler.Current();
            bool kernel = KernelPeakRss.Reset();
            using var sampled = new RssSampler();
            var sw = Stopwatch.StartNew();
            for (int s = 0; s < r.GetValue(steps); s++)
            {
                using var scope = NewDisposeScope();
                update.Run(batch, s, r.GetValue(steps));
            }
            double seconds = sw.Elapsed.TotalSeconds / r.GetValue(steps);
            long peak = kernel && KernelPeakRss.Read() is { } hwm ? hwm : sampled.PeakBytes;

            int elementSize = m.Device.DType == ScalarType.Float32 ? 4 : 2;
            long logitPositions = chunkMB == 0 ? (long)b * (p + c - 1) : (long)b * c;
            long trainable = m.TrainableParameters().Sum(x => x.numel());
            var estimate = UpdateMemoryEstimate.For(m.Config, m.ParameterCount(), elementSize, b, p + c, logitPositions,
                m.GradientCheckpointing, chunkMB, m.LogitVocabSize, trainable);
            var report = new JsonObject
            {
                ["parameters"] = m.ParameterCount(),
                ["trainable_parameters"] = trainable,
                ["lora_rank"] = m.Lora?.Rank ?? 0,
                ["lora_targets"] = m.Lora is { } lora ? new JsonArray(lora.ResolvedTargets().Select(t => (JsonNode)t).ToArray()) : null,
                // AdamW's exp_avg and exp_avg_sq of every trainable parameter, float32: what optimizer.bin holds.
                ["optimizer_state_mib"] = Math.Round(2.0 * trainable * 4 / 1048576, 2),
                ["vocab_size"] = m.Config.VocabSize,
                ["logit_vocab_size"] = m.LogitVocabSize,
                ["micro_batch"] = b,
                ["prompt_len"] = p,
                ["completion_len"] = c,
                ["gradient_checkpointing"] = m.GradientCheckpointing,
                ["logits_chunk_mb"] = chunkMB,
                ["step_seconds"] = Math.Round(seconds, 3),
                ["tokens_per_second"] = Math.Round(b * (p + c) / seconds, 1),
                ["rss_before_step_mib"] = Mib(before),
                ["peak_rss_mib"] = Mib(peak),
                ["peak_source"] = kernel ? "vm_hwm" : "sampled_5ms",
                ["estimate_mib"] = new JsonObject
                {
                    ["weights"] = Mib(estimate.Weights), ["gradients"] = Mib(estimate.Gradients),
                    ["adamw_moments"] = Mib(estimate.AdamMoments), ["activations"] = Mib(estimate.Activations),
                    ["logits"] = Mib(estimate.Logits), ["total"] = Mib(estimate.Total),
                },
            };
            BenchOutput.Write(r, report, (console, _) =>
            {
                var table = new Table().AddColumns("what", "MiB");
                table.AddRow("measured peak RSS (one step)", $"{Mib(peak):N0}");
                table.AddRow("RSS before the step", $"{Mib(before):N0}");
                foreach (var (name, bytes) in new[] { ("weights", estimate.Weights), ("gradients", estimate.Gradients),
                    ("AdamW moments", estimate.AdamMoments), ("activations (est.)", estimate.Activations),
                    ("logits (est.)", estimate.Logits), ("estimate total", estimate.Total) })
                    table.AddRow(name, $"{Mib(bytes):N0}");
                console.Write(table);
                console.WriteLine($"step {seconds:F2} s, {b * (p + c) / seconds:F0} tokens/s; checkpointing {(m.GradientCheckpointing ? "on" : "off")}, logits chunk {chunkMB} MiB");
            });
            return 0;
        });
        return command;
    }

    private static long Mib(long bytes) => bytes / 1048576;
}
