using System.CommandLine;
using System.Diagnostics;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Training;
using Spectre.Console;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer bench rollout`: generation speed and memory with the KV cache on and off, on random prompts.
/// Every row decodes exactly --new-tokens tokens (no eos), so both modes do the same work.
/// </summary>
internal static class BenchRolloutCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var batch = new Option<int>("--batch") { Description = "Rows per batch.", DefaultValueFactory = _ => 16 };
        var promptLen = new Option<int>("--prompt-len") { Description = "Prompt tokens per row.", DefaultValueFactory = _ => 64 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Generated tokens per row.", DefaultValueFactory = _ => 128 };
        var device = CommonOptions.Device();
        var skipNoCache = new Option<bool>("--cache-only") { Description = "Skip the (slow) run without KV cache." };
        var group = new Option<int>("--group-size") { Description = "Rows per prompt (G): --batch is prompts × G rows that share their prompt.", DefaultValueFactory = _ => 1 };
        var noShare = new Option<bool>("--no-shared-prefill") { Description = "Prefill every row itself instead of once per distinct prompt." };
        var command = new Command("rollout", "Rollout throughput with the KV cache on and off.") { model, batch, promptLen, newTokens, device, skipNoCache, group, noShare };
        command.SetAction(r => CommonOptions.Guard(() =>
        {
            using var m = HfModelFolder.Load(r.GetValue(model)!, CommonOptions.ParseDevice(r.GetValue(device)!));
            m.eval();
            int b = r.GetValue(batch), l = r.GetValue(promptLen), n = r.GetValue(newTokens), g = Math.Max(1, r.GetValue(group));
            var rng = new Random(1234);
            var prompts = Enumerable.Range(0, (b + g - 1) / g)
                .Select(_ => Enumerable.Range(0, l).Select(_ => rng.Next(m.LogitVocabSize)).ToArray()).ToArray();
            var requests = Enumerable.Range(0, b).Select(i => new GenerationRequest(prompts[i / g], i)).ToArray();
            var sampler = new BatchSampler(m);
            var options = new SamplingOptions { MaxNewTokens = n, SharePromptPrefill = !r.GetValue(noShare) };
            sampler.Generate(requests.Take(2).ToArray(), options with { MaxNewTokens = 4 });   // warm-up: first-call allocations

            Console.Error.WriteLine($"model {r.GetValue(model)}: {m.Config.ModelType}, {m.ParameterCount():N0} parameters; batch {b} (G = {g}, shared prefill {(options.SharePromptPrefill ? "on" : "off")}), prompt {l}, new {n}, threads {TorchSharp.torch.get_num_threads()}");
            var on = Measure(sampler, requests, options);
            var off = r.GetValue(skipNoCache) ? null : Measure(sampler, requests, options with { UseKvCache = false });

            var table = new Table().AddColumns("KV cache", "tokens/s", "ms/step", "prefill ms", "wall s", "peak RSS MiB");
            foreach (var (name, x) in new[] { ("on", on), ("off", off) })
                if (x is not null)
                    table.AddRow(name, $"{x.TokensPerSecond:F1}", $"{x.MsPerStep:F2}", $"{x.PrefillMs:F1}", $"{x.WallSeconds:F2}", $"{x.PeakRssMiB:F0}");
            AnsiConsole.Write(table);
            if (off is not null) AnsiConsole.WriteLine($"speed-up with cache: {on.TokensPerSecond / off.TokensPerSecond:F2}x");
            return 0;
        }));
        return command;
    }

    private sealed record Figures(double TokensPerSecond, double MsPerStep, double PrefillMs, double WallSeconds, double PeakRssMiB);

    private static Figures Measure(BatchSampler sampler, GenerationRequest[] requests, SamplingOptions options)
    {
        using var rss = new RssSampler();
        var sw = Stopwatch.StartNew();
        sampler.Generate(requests, options);
        sw.Stop();
        var s = sampler.LastStats!;
        double decodeMs = (s.WallTime - s.PrefillTime).TotalMilliseconds;
        return new Figures(s.SampledTokens / sw.Elapsed.TotalSeconds, decodeMs / s.DecodeSteps, s.PrefillTime.TotalMilliseconds,
            sw.Elapsed.TotalSeconds, rss.PeakBytes / (1024.0 * 1024.0));
    }
}
