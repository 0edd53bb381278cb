using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Training;

public class PolicyUpdateCollateTests
{
    [Fact]
    public void InjectedTokens_GetLossMaskZero_AndLeaveTheTokenCount()
    {
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 64, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 8, TieWordEmbeddings = true,
        };
        using var policy = new CausalLm(config, ComputeDevice.Cpu);
        using var adam = AdamWFactory.Create(policy.parameters(), new OptimizerOptions());
        var objective = PolicyObjectiveFactory.Create(new ObjectiveOptions(), new EssOptions(), new GrpoOptions());
        var update = new PolicyUpdate(policy, null, objective, adam, new OptimizerOptions(), new TrainingOptions(),
            new GroupAdvantageOptions(), new RolloutOptions(), reuseBehaviourAsOld: true);
        var pruned = new RolloutSample(0, [1, 2], [3, 4, 5, 6, 7], [0f, 0f, 0f, 0f, 0f], false, 1, [], true, "arith")
        {
            LossMask = [true, false, false, true, true],     // tokens 4 and 5 were injected
        };
        var plain = new RolloutSample(0, [1, 2, 9], [3, 4], [0f, 0f], false, 0, [], false, "arith");
        using var scope = NewDisposeScope();
        var (_, _, mask, _) = update.Collate([pruned, plain], CPU);
        // Row 0: prompt of 2, so completion token j is predicted at position 1 + j.
        Assert.Equal(new float[] { 0, 1, 0, 0, 1, 1 }, mask[0].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0 }, mask[1].data<float>().ToArray());
        Assert.Equal(3, pruned.TrainedTokens);
    }
}
