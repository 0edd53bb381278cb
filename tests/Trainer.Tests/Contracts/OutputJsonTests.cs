using System.Text.Json.Nodes;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Tests.Reporting;

namespace RlTrainer.Trainer.Tests.Contracts;

public class OutputJsonTests
{
    [Fact]
    public void Serialize_SnakeCasesPropertyNames_KeepsDictionaryKeys()
    {
        var o = JsonNode.Parse(OutputJson.Serialize(EvalFixtures.Base(), indented: true))!.AsObject();
        Assert.Equal(["model", "data", "k", "temperature", "overall", "by_source", "seconds", "tokens_per_second"], o.Select(kv => kv.Key));
        Assert.Equal(["problems", "greedy_pass1", "avg_at_k", "maj_at_k", "pass_at_k", "format_rate", "mean_completion_tokens", "truncation_rate"],
            o["overall"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(["1", "2", "4", "8"], o["overall"]!["pass_at_k"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(["arith", "general"], o["by_source"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public void Serialize_WritesTextAsIs_AndNaNAsAString()
    {
        var json = OutputJson.Serialize(new { Text = "½ of <b>", Value = double.NaN });
        Assert.Equal("""{"text":"½ of <b>","value":"NaN"}""", json);
    }

    [Fact]
    public void Deserialize_ReadsTheNewStyle_AndTheOldPascalCaseOne()
    {
        const string snake = """{"step":7,"cursor":{"epoch":1,"position":12},"elapsed_seconds":3.5,"components":{"replay":{"cursors":{}}}}""";
        const string pascal = """{"Step":7,"Cursor":{"Epoch":1,"Position":12},"ElapsedSeconds":3.5,"Components":{"replay":{"cursors":{}}}}""";
        foreach (var json in new[] { snake, pascal })
        {
            var s = OutputJson.Deserialize<TrainerState>(json)!;
            Assert.Equal((7, new SamplerCursor(1, 12), 3.5), (s.Step, s.Cursor, s.ElapsedSeconds));
            Assert.Equal("{\"cursors\":{}}", s.Components["replay"]!.ToJsonString());
        }
    }

    [Fact]
    public void Deserialize_DecidesByTheFirstObjectOfATopLevelArray()
    {
        var read = OutputJson.Deserialize<SamplerCursor[]>("""[{"Epoch":2,"Position":3},{"Epoch":4,"Position":5}]""")!;
        Assert.Equal([new SamplerCursor(2, 3), new SamplerCursor(4, 5)], read);
        Assert.Equal(new SamplerCursor(2, 3), OutputJson.Deserialize<SamplerCursor[]>("""[{"epoch":2,"position":3}]""")![0]);
    }
}
