using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Training;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Training;

public class RolloutAccountingTests
{
    private static RolloutCost Cost(long sampled, long injected, long slots, params StopReason[] reasons)
    {
        var cost = new RolloutCost();
        var stats = new GenerationStats { SampledTokens = sampled, InjectedTokens = injected, SlotSteps = slots, DecodeSteps = 10, WallTime = TimeSpan.FromSeconds(2) };
        cost.Add(stats, reasons.Select(r => new GenerationResult([], [], FinishReason.Stop) { StopReason = r }).ToArray());
        return cost;
    }

    [Fact]
    public void PerStepAndCumulativeKeys_ContinueAfterARestore()
    {
        var a = new RolloutAccounting();
        var line1 = new JsonObject();
        a.AddTo(line1, Cost(100, 5, 300, StopReason.Eos, StopReason.Overthink));
        Assert.Equal(100, line1["rollout/sampled_tokens"]!.GetValue<double>());
        Assert.Equal(105, line1["rollout/forward_tokens"]!.GetValue<double>());
        Assert.Equal(1, line1["pruning/stop/overthink"]!.GetValue<double>());
        Assert.Equal(0, line1["pruning/stop/group_abort"]!.GetValue<double>());

        var saved = a.SaveState();
        var resumed = new RolloutAccounting();
        resumed.LoadState(JsonNode.Parse(saved!.ToJsonString()));
        var line2 = new JsonObject();
        resumed.AddTo(line2, Cost(40, 0, 90, StopReason.Overthink));
        Assert.Equal(40, line2["rollout/sampled_tokens"]!.GetValue<double>());
        Assert.Equal(140, line2["rollout/cum_sampled_tokens"]!.GetValue<double>());
        Assert.Equal(390, line2["rollout/cum_slot_steps"]!.GetValue<double>());
        Assert.Equal(4, line2["rollout/cum_generation_seconds"]!.GetValue<double>());
        Assert.Equal(2, line2["pruning/cum_stop/overthink"]!.GetValue<double>());
    }
}
