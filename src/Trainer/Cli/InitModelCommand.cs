using System.CommandLine;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;

namespace RlTrainer.Trainer.Cli;

/// `rltrainer init-model`: a randomly initialised model in the Hugging Face layout, from a config.json-style file.
internal static class InitModelCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "A config.json-style file (model_type qwen2/qwen3/llama, sizes).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write (config.json, model.safetensors, generation_config.json).", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Folder whose tokenizer files are copied next to the weights." };
        var std = new Option<double>("--init-std") { Description = "Std of the normal init (transformers' initializer_range).", DefaultValueFactory = _ => 0.02 };
        var seed = CommonOptions.Seed();
        var command = new Command("init-model", "Write a randomly initialised Qwen2/Qwen3/Llama model folder.") { config, output, tokenizer, std, seed };
        command.SetAction(r =>
        {
            var path = r.GetValue(config)!;
            var cfg = ModelConfig.Load(path);
            using var model = new CausalLm(cfg, ComputeDevice.Cpu);
            ModelInitializer.Randomize(model, r.GetValue(seed), r.GetValue(std));
            HfModelFolder.Save(model, r.GetValue(output)!, r.GetValue(tokenizer));
            Console.Error.WriteLine($"wrote {r.GetValue(output)}: {cfg.ModelType}, {model.ParameterCount():N0} parameters");
            return 0;
        });
        return command;
    }
}
