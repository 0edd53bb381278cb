using System.CommandLine;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Cli;

/// `rltrainer generate`: one completion for one prompt, printed as one JSON object
/// {"text", "token_ids", "logprobs", "finish_reason"}.
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model("Hugging Face model folder with tokenizer files.");
        var prompt = new Option<string>("--prompt") { Description = "Prompt text (tokenized raw unless --chat).", Required = true };
        var chat = new Option<bool>("--chat") { Description = "Wrap the prompt as one user message with the model's chat template." };
        var greedy = new Option<bool>("--greedy") { Description = "Arg-max decoding." };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus mass in (0, 1].", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep the K most likely tokens (0 = all).", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most.", Required = true };
        var stop = new Option<string[]>("--stop") { Description = "Stop string (repeatable).", AllowMultipleArgumentsPerToken = false };
        var adapter = CommonOptions.Adapter();
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("generate", "Generate one completion (JSON on standard output).")
            { model, adapter, prompt, chat, greedy, temperature, topP, topK, maxNew, stop, seed, device };
        command.SetAction(r =>
        {
            var dir = r.GetValue(model)!;
            var tokenizer = HfTokenizer.Load(dir);
            using var m = Rollout.Model.AdaptedModel.Load(dir, r.GetValue(adapter), CommonOptions.ParseDevice(r.GetValue(device)!), tokenizer);
            m.eval();
            var text = r.GetValue(prompt)!;
            if (r.GetValue(chat)) text = tokenizer.ApplyChatTemplate(new[] { new ChatMessage("user", text) }, addGenerationPrompt: true);
            var ids = tokenizer.Encode(text);
            var options = new SamplingOptions
            {
                Greedy = r.GetValue(greedy),
                Temperature = r.GetValue(temperature),
                TopP = r.GetValue(topP),
                TopK = r.GetValue(topK),
                MaxNewTokens = r.GetValue(maxNew),
                StopStrings = r.GetValue(stop) ?? Array.Empty<string>(),
                EosTokenIds = tokenizer.EosTokenIds.ToHashSet(),
            };
            var sampler = new BatchSampler(m, t => tokenizer.Decode(t));
            var result = sampler.Generate(new[] { new GenerationRequest(ids.ToArray(), r.GetValue(seed)) }, options)[0];
            var json = OutputJson.Serialize(new
            {
                text = tokenizer.Decode(result.TokenIds, skipSpecialTokens: true),
                token_ids = result.TokenIds,
                logprobs = result.LogProbs,
                finish_reason = result.FinishReason.ToApiString(),
            });
            Console.Out.WriteLine(json);
            return 0;
        });
        return command;
    }
}
