using System.Text.Json;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Training;

/// <summary>
/// One whole <see cref="PolicyUpdate.Run"/> against tools/reference/policy_update_reference.py, which computes the
/// same update from the formulas (each sample forwarded alone, the whole batch's gradient at once, AdamW by hand):
/// group advantages, behaviour log-probs as old (μ = 2), the clipped surrogate with some tokens clipped in both passes,
/// per-sample scales that differ per pass, per-token importance weights (one 0), a masked truncated completion and a
/// pruning loss mask, the step's token count as normaliser over three shuffled micro-batches of two, a clipped first
/// pass, a linear schedule at step 1 of 3, and decoupled weight decay. Fixture: Fixtures/policy-update.
/// </summary>
public class PolicyUpdateCompositionTests
{
    private static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "policy-update");

    [Fact]
    public void Run_TwoPassesOverShuffledMicroBatches_MatchesTheReference()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, "case.json"))).RootElement;
        var o = root.GetProperty("options");
        var expected = root.GetProperty("expected");
        var training = new TrainingOptions
        {
            MicroBatchSize = o.GetProperty("micro_batch_size").GetInt32(), NumIterations = o.GetProperty("num_iterations").GetInt32(),
            MaskTruncatedCompletions = o.GetProperty("mask_truncated_completions").GetBoolean(), Seed = o.GetProperty("seed").GetInt32(),
        };
        var optimizer = new OptimizerOptions
        {
            LearningRate = o.GetProperty("learning_rate").GetDouble(), Beta1 = o.GetProperty("beta1").GetDouble(),
            Beta2 = o.GetProperty("beta2").GetDouble(), Epsilon = o.GetProperty("adam_epsilon").GetDouble(),
            WeightDecay = o.GetProperty("weight_decay").GetDouble(), MaxGradNorm = o.GetProperty("max_grad_norm").GetDouble(),
            Schedule = Enum.Parse<LrScheduleKind>(o.GetProperty("schedule").GetString()!, ignoreCase: true),
        };
        var batch = new RolloutBatch { Samples = Samples(root), GroupSize = o.GetProperty("group_size").GetInt32() };
        Assert.True(training.MicroBatchSize < batch.Samples.Count, "the case must accumulate several micro-batches");
        var scales = new FixedSampleScales(root.GetProperty("sample_scales_per_pass").EnumerateArray().Select(Doubles).ToArray());

        using var policy = HfModelFolder.Load(FixtureDir, ComputeDevice.Cpu);
        var loss = new PolicyLoss(policy, null, new ClippedSurrogateObjective(new GrpoOptions { Epsilon = o.GetProperty("clip_epsilon").GetDouble() }),
            training, new RolloutOptions { Temperature = o.GetProperty("temperature").GetDouble() });
        var estimator = new AdvantageEstimator(new GroupAdvantageOptions { Epsilon = o.GetProperty("advantage_epsilon").GetDouble() });
        using var adamW = AdamWFactory.Create(policy.parameters(), optimizer);
        var update = new PolicyUpdate(loss, estimator, adamW, optimizer, training, [scales]);

        var stats = update.Run(batch, o.GetProperty("step").GetInt32(), o.GetProperty("total_training_steps").GetInt32());

        // Tolerance (case.json, 1e-6) for float32 weights against the float64 reference: weights near 1 (the norms)
        // are stored with up to 6e-8 rounding alone, the reference's own float32 run is 1.1e-7 off its float64 one
        // (self_checks), and Adam's ε = 1e-2 keeps a gradient error from growing in the step (|Δp| ≤ lr·|Δg|/ε).
        // Each composition mistake the script simulates moves some parameter by 9e-3 or more, 9000 tolerances.
        double tolerance = root.GetProperty("tolerance").GetDouble();
        var (worst, at) = WorstParameterDifference(policy, expected.GetProperty("parameters"));
        Assert.True(worst <= tolerance, $"max |parameter − reference| = {worst:E2} at {at} (tolerance {tolerance:E0})");

        Assert.Equal([0, 1], scales.Passes);
        Assert.Equal(expected.GetProperty("trained_tokens_all_passes").GetInt64(), stats.TrainedTokens);
        Assert.Equal(Doubles(expected.GetProperty("advantages")).Max(Math.Abs), stats.AdvantageAbsMax, 1e-7);
        Assert.Equal(Doubles(expected.GetProperty("lr_per_pass"))[^1], stats.Lr, 1e-9);
        double wantNorm = Doubles(expected.GetProperty("grad_norm_per_pass"))[^1];
        Assert.True(Math.Abs(stats.GradNorm - wantNorm) <= root.GetProperty("grad_norm_rtol").GetDouble() * wantNorm,
            $"last pass gradient norm {stats.GradNorm}, reference {wantNorm}");
    }

    /// Largest |parameter − reference| over every parameter, and where; the reference must list exactly the model's.
    private static (double Worst, string At) WorstParameterDifference(CausalLm policy, JsonElement want)
    {
        double worst = 0;
        string at = "";
        int compared = 0;
        foreach (var (name, parameter) in policy.named_parameters())
        {
            var reference = Doubles(want.GetProperty(name));
            var got = parameter.detach().flatten().data<float>().ToArray();
            Assert.Equal(reference.Length, got.Length);
            for (int i = 0; i < got.Length; i++)
                if (Math.Abs(got[i] - reference[i]) is var d && d > worst) (worst, at) = (d, $"{name}[{i}]");
            compared++;
        }
        Assert.Equal(want.EnumerateObject().Count(), compared);
        return (worst, at);
    }

    private static List<RolloutSample> Samples(JsonElement root) => root.GetProperty("samples").EnumerateArray().Select(s => new RolloutSample
    {
        Group = s.GetProperty("group").GetInt32(),
        DataSource = s.GetProperty("data_source").GetString()!,
        PromptIds = s.GetProperty("prompt_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
        CompletionIds = s.GetProperty("completion_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
        BehaviourLogProbs = Floats(s.GetProperty("behaviour_logprobs")),
        Reward = s.GetProperty("reward").GetDouble(),
        Truncated = s.GetProperty("truncated").GetBoolean(),
        LossMask = s.TryGetProperty("loss_mask", out var m) ? m.EnumerateArray().Select(x => x.GetBoolean()).ToArray() : null,
        IsWeights = s.TryGetProperty("is_weights", out var w) ? Floats(w) : null,
    }).ToList();

    private static double[] Doubles(JsonElement a) => a.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static float[] Floats(JsonElement a) => a.EnumerateArray().Select(x => x.GetSingle()).ToArray();

    /// What a replay-like extension returns: the fixture's scales for each pass, recording the passes it was asked for.
    private sealed class FixedSampleScales(double[][] perPass) : IStepExtension
    {
        public string Name => "fixed-sample-scales";

        public List<int> Passes { get; } = [];

        public IReadOnlyList<double>? BeginPass(int pass)
        {
            Passes.Add(pass);
            return perPass[pass];
        }
    }
}
