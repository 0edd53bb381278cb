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
        command.SetAction(r =>
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

            int threads = TorchSharp.torch.get_num_threads();
            Console.Error.WriteLine($"model {r.GetValue(model)}: {m.Config.ModelType}, {m.ParameterCount():N0} parameters; batch {b} (G = {g}, shared prefill {(options.SharePromptPrefill ? "on" : "off")}), prompt {l}, new {n}, threads {threads}");
            var on = Measure(sampler, requests, options);
            var off = r.GetValue(skipNoCache) ? null : Measure(sampler, requests, options with { UseKvCache = false });
            var result = new Result(r.GetValue(model)!, m.Config.ModelType, m.ParameterCount(), b, g, options.SharePromptPrefill, l, n,
                threads, on, off, off is null ? null : on.TokensPerSecond / off.TokensPerSecond);
            BenchOutput.Write(r, result, Render);
            return 0;
        });
        return command;
    }

    /// <summary>What `bench rollout --json` prints; <paramref name="SpeedUp"/> = tokens/s with the cache ÷ without.</summary>
    internal sealed record Result(string Model, string ModelType, long Parameters, int Batch, int GroupSize, bool SharedPrefill,
        int PromptLen, int NewTokens, int Threads, Figures KvCacheOn, Figures? KvCacheOff, double? SpeedUp);

    internal sealed record Figures(double TokensPerSecond, double MsPerStep, double PrefillMs, double WallSeconds, double PeakRssMib);

    private static void Render(IAnsiConsole console, Result x)
    {
        var table = new Table().AddColumns("KV cache", "tokens/s", "ms/step", "prefill ms", "wall s", "peak RSS MiB");
        foreach (var (name, f) in new[] { ("on", x.KvCacheOn), ("off", x.KvCacheOff) })
            if (f is not null)
                table.AddRow(name, $"{f.TokensPerSecond:F1}", $"{f.MsPerStep:F2}", $"{f.PrefillMs:F1}", $"{f.WallSeconds:F2}", $"{f.PeakRssMib:F0}");
        console.Write(table);
        if (x.SpeedUp is { } s) console.WriteLine($"speed-up with cache: {s:F2}x");
    }

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
