using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Tools;

/// <summary>
/// A test-made model that calls a tool at every turn: with the bundled tiny-math tokenizer plus one added token whose
/// text is a whole <c>&lt;tool_call&gt;…&lt;/tool_call&gt;</c> block (id 512), its turns are [call, &lt;|im_end|&gt;]
/// whatever the context, because the embeddings and lm_head carry a bigram "any token → call → &lt;|im_end|&gt;" of
/// logit ≈ 28 on top of a small random model whose attention and MLP make every other log-prob depend on the context.
/// Also compiled into Trainer.Tests (linked source), for the training-loop tests.
/// </summary>
internal static class ToolCallingModel
{
    public const int CallToken = 512, ImEnd = 511, Vocab = 513, Hidden = 32;

    /// <summary>Writes tiny-math's tokenizer files to <paramref name="dir"/> with <paramref name="call"/> added as id 512.</summary>
    public static void WriteTokenizer(string repoRoot, string dir, string call)
    {
        var source = Path.Combine(repoRoot, "data", "models", "tiny-math");
        Directory.CreateDirectory(dir);
        var tokenizer = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "tokenizer.json")))!;
        tokenizer["added_tokens"]!.AsArray().Add(new JsonObject
        {
            ["id"] = CallToken, ["content"] = call, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = false,
        });
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), tokenizer.ToJsonString());
        File.Copy(Path.Combine(source, "tokenizer_config.json"), Path.Combine(dir, "tokenizer_config.json"), overwrite: true);
    }

    public static ModelConfig Config() => new()
    {
        ModelType = "qwen2", VocabSize = Vocab, HiddenSize = Hidden, IntermediateSize = 64, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, RopeTheta = 10000, QkvBias = true,
        TieWordEmbeddings = false, EosTokenIds = new List<int> { ImEnd },
    };

    /// <summary>The model; <paramref name="noise"/> is the std of the random part, <paramref name="signal"/> the size of
    /// the bigram directions in the embeddings, which must outweigh what the random layers add to the residual stream.</summary>
    public static CausalLm Create(int seed = 0, double noise = 0.05, double signal = 8)
    {
        var m = new CausalLm(Config(), ComputeDevice.Cpu);
        ModelInitializer.Randomize(m, seed, noise);
        using (no_grad())
        {
            var p = m.named_parameters().ToDictionary(x => x.name, x => x.parameter);
            var embed = p["model.embed_tokens.weight"];   // (V, C)
            var head = p["lm_head.weight"];               // (V, C)
            // Direction 1 marks "not the call", direction 0 "the call"; after the final RMSNorm each is ≈ √C = 5.7 long.
            embed[.., 1].add_(signal);
            embed[CallToken].zero_();
            embed[CallToken, 0].fill_(signal);
            head[CallToken, 1].fill_(5.0);                // after any other token: the call
            head[ImEnd, 0].fill_(5.0);                    // after the call: end of turn
        }
        m.eval();
        return m;
    }
}
