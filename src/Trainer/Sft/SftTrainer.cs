using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Optimization;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Sft;

/// <summary>Supervised fine-tuning loop: shuffled batches, AdamW, scheduled learning rate, gradient clipping.</summary>
public sealed class SftTrainer(CausalLm model, SftOptions options, OptimizerOptions optimizer, ILogger logger)
{
    /// <summary>Per-step record of the run.</summary>
    public sealed record StepLog(int Step, double Loss, double Lr, double GradNorm, double Seconds);

    public List<StepLog> Train(IReadOnlyList<SftExample> data, CancellationToken ct = default)
    {
        var usable = data.Where(e => e.Length <= options.MaxLength && e.TrainedTokens > 0).ToList();
        if (usable.Count < data.Count)
            logger.LogWarning("SFT: dropped {Dropped} of {Total} examples longer than {MaxLength} tokens or with empty targets", data.Count - usable.Count, data.Count, options.MaxLength);
        if (usable.Count == 0) throw new InvalidOperationException("SFT: no usable examples.");

        model.train();
        var parameters = model.parameters().ToList();
        using var adam = AdamWFactory.Create(parameters, optimizer);
        var rng = new Random(options.Seed);
        var order = Enumerable.Range(0, usable.Count).ToArray();
        int cursor = order.Length;
        var logs = new List<StepLog>();
        var sw = Stopwatch.StartNew();
        double lossSum = 0;
        for (int step = 0; step < options.Steps && !ct.IsCancellationRequested; step++)
        {
            using var scope = NewDisposeScope();
            var batch = new List<SftExample>(options.BatchSize);
            while (batch.Count < options.BatchSize)
            {
                if (cursor == order.Length) { rng.Shuffle(order); cursor = 0; }
                batch.Add(usable[order[cursor++]]);
            }
            var (loss, _) = SftLoss.Compute(model, batch);
            loss.backward();
            var (lr, norm) = AdamWFactory.Step(adam, parameters, optimizer, step, options.Steps);
            double l = loss.item<float>();
            lossSum += l;
            logs.Add(new StepLog(step + 1, l, lr, norm, sw.Elapsed.TotalSeconds));
            if ((step + 1) % options.LogEvery == 0 || step + 1 == options.Steps)
            {
                logger.LogInformation("sft step {Step}/{Steps} loss {Loss:F4} lr {Lr:E2} grad_norm {GradNorm:F3} {Seconds:F0}s",
                    step + 1, options.Steps, lossSum / options.LogEvery, lr, norm, sw.Elapsed.TotalSeconds);
                lossSum = 0;
            }
        }
        model.eval();
        return logs;
    }
}
