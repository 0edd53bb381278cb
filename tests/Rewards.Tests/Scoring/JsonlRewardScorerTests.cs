using System.Text.Json;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Scoring;

namespace RlTrainer.Rewards.Tests.Scoring;

public class JsonlRewardScorerTests
{
    private static (string[] Lines, string Errors, int Bad) Run(string input, RewardMix? mix = null, int groupSize = 0)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var bad = new JsonlRewardScorer(mix ?? RewardMix.Default, groupSize).Run(new StringReader(input), output, errors);
        return (output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), errors.ToString(), bad);
    }

    [Fact]
    public void Run_ScoresInOrder_ReportsBadLinesWithNumbers()
    {
        var input = string.Join('\n',
            """{"completion": "so \\boxed{\\frac{1}{2}}", "ground_truth": "0.5"}""",
            """{"completion": oops}""",
            "",
            """{"completion": "#### 71", "ground_truth": 72}""",
            """{"ground_truth": "1"}""",
            """{"completion": "no idea", "ground_truth": "1"}""",
            """{"completion": "x", "ground_truth": "1", "completion_tokens": -3}""");
        var (lines, errors, bad) = Run(input);
        Assert.Equal(3, bad);
        Assert.Contains("line 2: invalid JSON", errors);
        Assert.Contains("line 5: \"completion\" must be a string", errors);
        Assert.Contains("line 7: \"completion_tokens\" must be a non-negative integer, got -3", errors);
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"correct":true,"reward":1,"rewards":{"math_accuracy":1},"extracted":"\\frac{1}{2}"}""", lines[0]);
        Assert.Equal("""{"correct":false,"reward":0,"rewards":{"math_accuracy":0},"extracted":"71"}""", lines[1]);
        Assert.Equal("""{"correct":false,"reward":0,"rewards":{"math_accuracy":0},"extracted":null}""", lines[2]);
    }

    [Fact]
    public void Run_UngradableGold_RewardIsNull()
    {
        var (lines, _, bad) = Run("""{"completion": "\\boxed{1}", "ground_truth": ""}""");
        Assert.Equal(0, bad);
        Assert.Equal("""{"correct":false,"reward":null,"rewards":{"math_accuracy":null},"extracted":"1"}""", lines[0]);
    }

    [Fact]
    public void Run_NormalizeThenSum_GroupsConsecutiveRecords()
    {
        var mix = RewardMixParser.Parse("""{ "aggregation": "normalize_then_sum", "components": [ { "name": "acc", "type": "math_accuracy" } ] }""");
        var input = string.Join('\n',
            """{"completion": "\\boxed{1}", "ground_truth": "1"}""",
            """{"completion": "\\boxed{2}", "ground_truth": "1"}""",
            """{"completion": "\\boxed{1}", "ground_truth": "1"}""",
            """{"completion": "\\boxed{1}", "ground_truth": "1"}""");
        var (lines, _, _) = Run(input, mix, groupSize: 2);
        var rewards = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reward").GetDouble()).ToArray();
        // Group [1, 0]: mean 0.5, unbiased std √0.5 → ±0.5/(√0.5 + 1e-4); group [1, 1]: both 0.
        var z = 0.5 / (Math.Sqrt(0.5) + 1e-4);
        Assert.Equal(z, rewards[0], 12);
        Assert.Equal(-z, rewards[1], 12);
        Assert.Equal(0.0, rewards[2], 12);
        Assert.Equal(0.0, rewards[3], 12);
    }
}
