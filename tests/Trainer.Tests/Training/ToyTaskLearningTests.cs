using Microsoft.Extensions.Options;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Training;

/// <summary>
/// The CI learning check: a task whose optimum is known (reward = share of completion characters that are vowels,
/// optimum 1.0: emit only tokens like "a", "e", "ou"), a random 2-layer model, the real rollout and update code. Mean reward of the last steps must beat
/// the first steps by a clear margin, for both objectives.
/// </summary>
[Collection("serial")]
public class ToyTaskLearningTests
{
    private sealed class VowelShareReward : IRewardFunction
    {
        public string Type => "vowel_share";
        public double? Score(RewardInput input)
        {
            var text = input.Completion;
            return text.Length == 0 ? 0 : (double)text.Count(c => "aeiou".Contains(c)) / text.Length;
        }
    }

    [Theory]
    [InlineData(ObjectiveKind.Ess)]
    [InlineData(ObjectiveKind.Grpo)]
    public void MeanReward_RisesWellAboveItsStart(ObjectiveKind kind)
    {
        manual_seed(0);
        var tokenizerDir = RepoPaths.Of("data", "models", "tiny-math");
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 512, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, QkvBias = true, TieWordEmbeddings = true,
        };
        using var model = new CausalLm(config, ComputeDevice.Cpu);
        ModelInitializer.Randomize(model, 3, 0.02);
        model.eval();
        var encoder = new PromptEncoder(HfTokenizer.Load(tokenizerDir));
        var examples = new ParquetExampleReader(new DataOptions { Files = { RepoPaths.Of("data", "arith", "test.parquet") } }).ReadExamples().Take(64).ToList();
        var prompts = new EpochSampler(examples, seed: 1);
        var mix = new RewardMix(new[] { new RewardComponent("vowels", new VowelShareReward(), 1.0) });
        var rollout = new RolloutOptions { PromptsPerStep = 4, GroupSize = 8, MaxNewTokens = 8, BatchSize = 32 };
        var training = new TrainingOptions { OutputDir = "unused", MicroBatchSize = 32, Seed = 5 };
        var optimizer = new OptimizerOptions { LearningRate = 1e-2, Schedule = LrScheduleKind.Constant, MaxGradNorm = 1.0 };
        var objective = PolicyObjectiveFactory.Create(new ObjectiveOptions { Kind = kind }, new EssOptions(), new GrpoOptions());
        using var adam = AdamWFactory.Create(model.parameters(), optimizer);
        var phase = new RolloutPhase(model, encoder, mix, rollout, new DynamicSamplingOptions(), runSeed: 9);
        var update = new PolicyUpdate(new PolicyLoss(model, null, objective, training, rollout), new AdvantageEstimator(new GroupAdvantageOptions()),
            adam, optimizer, training);

        var means = new List<double>();
        for (int step = 0; step < 40; step++)
        {
            using var scope = NewDisposeScope();
            var batch = phase.Run(step, prompts, CancellationToken.None);
            update.Run(batch, step, 40);
            means.Add(batch.Rewards.Average());
        }
        double first = means.Take(5).Average(), last = means.TakeLast(5).Average();
        Assert.True(last > first + 0.25, $"{kind}: mean reward {first:F3} → {last:F3} ({string.Join(", ", means.Select(m => m.ToString("F2")))})");
    }
}
