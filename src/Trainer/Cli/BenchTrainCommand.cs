using System.CommandLine;
using System.Diagnostics;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using Spectre.Console;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer bench train`: the update step alone (forward, backward over micro-batches, AdamW) on synthetic rollouts
/// of fixed shape with the default objective. Reports step time, trained tokens/s, model FLOP utilisation against the
/// measured fp32 matmul peak of this machine, and RSS after the first and the last steps (memory must stay flat).
/// </summary>
internal static class BenchTrainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var rows = new Option<int>("--rows") { Description = "Sequences per step (prompts × G).", DefaultValueFactory = _ => 64 };
        var promptLen = new Option<int>("--prompt-len") { Description = "Prompt tokens per sequence.", DefaultValueFactory = _ => 48 };
        var completionLen = new Option<int>("--completion-len") { Description = "Completion tokens per sequence.", DefaultValueFactory = _ => 48 };
        var micro = new Option<int>("--micro-batch") { Description = "Sequences per forward/backward.", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Update steps to time.", DefaultValueFactory = _ => 200 };
        var device = CommonOptions.Device();
        var shared = new BenchUpdate();
        var command = new Command("train", "Update-step speed, MFU and memory flatness.") { model, rows, promptLen, completionLen, micro, steps, device };
        shared.AddTo(command);
        command.SetAction(r =>
        {
            using var m = shared.LoadModel(r, r.GetValue(model)!, r.GetValue(device)!);
            int n = r.GetValue(rows), p = r.GetValue(promptLen), c = r.GetValue(completionLen), total = r.GetValue(steps);
            var batch = SyntheticBatch(m, n, p, c);
            var opt = BenchUpdate.Optimizer;
            using var adam = AdamWFactory.Create(m.TrainableParameters(), opt);
            var update = shared.Create(r, m, r.GetValue(micro), c, adam, opt);
            double peak = MatmulPeakFlops();
            long tokensPerStep = (long)n * (p + c);
            // Training FLOPs ≈ 6·params·tokens (forward 2, backward 4) + attention scores/values 12·layers·T·d per token.
            var cfg = m.Config;
            double flopsPerStep = 6.0 * m.ParameterCount() * tokensPerStep
                + 12.0 * cfg.NumHiddenLayers * (p + c) * cfg.NumAttentionHeads * cfg.HeadDim * tokensPerStep;

            var times = new List<double>();
            int early = Math.Min(20, total);
            double rssEarly = 0;
            for (int s = 0; s < total; s++)
            {
                using var scope = NewDisposeScope();
                var sw = Stopwatch.StartNew();
                update.Run(batch, s, total);
                times.Add(sw.Elapsed.TotalSeconds);
                if (s + 1 == early) rssEarly = RssSampler.Current() / 1048576.0;
            }
            double rssEnd = RssSampler.Current() / 1048576.0;
            var steady = times.Skip(Math.Min(5, times.Count - 1)).ToList();
            double stepS = steady.Average();
            var result = new Result(m.ParameterCount(), tokensPerStep, total, 1000 * stepS, tokensPerStep / stepS,
                flopsPerStep / stepS / 1e12, peak / 1e12, flopsPerStep / stepS / peak, early, rssEarly, rssEnd,
                (rssEnd - rssEarly) / rssEarly, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            BenchOutput.Write(r, result, Render);
            return 0;
        });
        return command;
    }

    /// <summary>What `bench train --json` prints. <paramref name="Mfu"/> is a fraction of <paramref name="MatmulPeakTflops"/>;
    /// RSS is taken after step <paramref name="EarlyStep"/> (20, or the last when fewer) and after the last step.</summary>
    internal sealed record Result(long Parameters, long TokensPerStep, int Steps, double StepMs, double TokensPerSecond,
        double ModelTflops, double MatmulPeakTflops, double Mfu, int EarlyStep, double RssEarlyMib, double RssEndMib,
        double RssGrowth, long LiveTensors);

    private static void Render(IAnsiConsole console, Result x)
    {
        var table = new Table().AddColumns("params", "tokens/step", "step ms", "tokens/s", "model TFLOP/s", "matmul peak TFLOP/s",
            "MFU", $"RSS@{x.EarlyStep} MiB", $"RSS@{x.Steps} MiB");
        table.AddRow($"{x.Parameters:N0}", $"{x.TokensPerStep:N0}", $"{x.StepMs:F0}", $"{x.TokensPerSecond:F0}", $"{x.ModelTflops:F3}",
            $"{x.MatmulPeakTflops:F3}", $"{x.Mfu:P1}", $"{x.RssEarlyMib:F0}", $"{x.RssEndMib:F0}");
        console.Write(table);
        console.WriteLine($"RSS growth from step {x.EarlyStep} to {x.Steps}: {x.RssGrowth:P1}; live tensors: {x.LiveTensors}");
    }

    /// n rows of p prompt and c completion tokens, uniform over the ids the logits cover, in groups of
    /// <see cref="GroupSizeFor"/>(n) rows.
    internal static RolloutBatch SyntheticBatch(CausalLm m, int n, int p, int c)
    {
        var rng = new Random(7);
        int g = GroupSizeFor(n);
        int[] Ids(int len) => Enumerable.Range(0, len).Select(_ => rng.Next(m.LogitVocabSize)).ToArray();
        var samples = Enumerable.Range(0, n).Select(i => new RolloutSample
        {
            Group = i / g, PromptIds = Ids(p), CompletionIds = Ids(c), BehaviourLogProbs = Enumerable.Repeat(-6f, c).ToArray(),
            Reward = rng.NextDouble(), DataSource = "bench",
        }).ToList();
        return new RolloutBatch { Samples = samples, GroupSize = g };
    }

    /// The largest group size of at most 8 that divides n rows: 8 for the usual batches, 4 rows are one group of 4,
    /// 12 rows two groups of 6 (the update does not depend on it; the batch only has to divide into groups).
    internal static int GroupSizeFor(int n)
    {
        int g = Math.Clamp(n, 1, 8);
        while (n % g != 0) g--;
        return g;
    }

    /// Best of several 1024³ float32 matmuls on the model's device: the practical peak the update is held against.
    private static double MatmulPeakFlops()
    {
        using var scope = NewDisposeScope();
        var a = randn(1024, 1024);
        var b = randn(1024, 1024);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
        double best = double.MaxValue;
        for (int i = 0; i < 10; i++)
        {
            var sw = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * 1024 * 1024 * 1024 / best;
    }
}
