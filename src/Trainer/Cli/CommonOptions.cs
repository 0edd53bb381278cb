using System.CommandLine;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Cli;

/// Options shared by several subcommands, defined once.
internal static class CommonOptions
{
    public static Option<string> Model(string description = "Hugging Face model folder (config.json + model.safetensors).") =>
        new("--model") { Description = description, Required = true };

    /// <summary>--adapter DIR: a LoRA adapter in PEFT's layout (adapter_config.json, adapter_model.safetensors) on top of --model.</summary>
    public static Option<string?> Adapter(bool required = false) =>
        new("--adapter") { Description = "LoRA adapter folder in PEFT's layout (adapter_config.json + adapter_model.safetensors), applied on top of --model.", Required = required };

    public static Option<string> Device() =>
        new("--device") { Description = "cpu or cuda: where tensors live (cpu computes in float32, cuda in bfloat16).", DefaultValueFactory = _ => "cpu" };

    public static Option<int> Seed(int fallback = 0) =>
        new("--seed") { Description = $"Random seed (default {fallback}).", DefaultValueFactory = _ => fallback };

    /// <summary>The --device value; one this build cannot use is bad input.</summary>
    public static ComputeDevice ParseDevice(string s)
    {
        try
        {
            return ComputeDevice.Parse(s);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new BadInputException($"--device {s}: {e.Message}", e);
        }
    }

    /// <summary>The --rewards mix (default math_accuracy); a bad file throws <see cref="RewardConfigException"/> (exit 2).</summary>
    public static RewardMix LoadRewardMix(FileInfo? file) => RewardMixParser.LoadOrDefault(file?.FullName);
}
