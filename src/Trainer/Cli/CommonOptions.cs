using System.CommandLine;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;

namespace RlTrainer.Trainer.Cli;

/// Options shared by several subcommands, defined once.
internal static class CommonOptions
{
    public static Option<string> Model(string description = "Hugging Face model folder (config.json + model.safetensors).") =>
        new("--model") { Description = description, Required = true };

    public static Option<string> Device() =>
        new("--device") { Description = "cpu or cuda: where tensors live (cpu computes in float32, cuda in bfloat16).", DefaultValueFactory = _ => "cpu" };

    public static Option<int> Seed(int fallback = 0) =>
        new("--seed") { Description = $"Random seed (default {fallback}).", DefaultValueFactory = _ => fallback };

    /// <summary>Runs a command body, turning expected failures (bad files, bad options) into one line on stderr and exit 1.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or ArgumentException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    public static ComputeDevice ParseDevice(string s) => ComputeDevice.Parse(s);

    /// <summary>The --rewards mix (default math_accuracy); a bad file is one stderr line prefixed by the command, and false.</summary>
    public static bool TryLoadRewardMix(FileInfo? file, string command, out RewardMix mix)
    {
        try
        {
            mix = RewardMixParser.LoadOrDefault(file?.FullName);
            return true;
        }
        catch (RewardConfigException e)
        {
            Console.Error.WriteLine($"{command}: {e.Message}");
            mix = RewardMix.Default;
            return false;
        }
    }
}
