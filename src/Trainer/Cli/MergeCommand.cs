using System.CommandLine;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer merge`: base model + LoRA adapter (PEFT layout) → one Hugging Face folder with W + (alpha/r)·B·A in
/// every adapted projection, loadable by anything that reads the base model. Written atomically.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model("Base Hugging Face model folder (the adapter's base_model_name_or_path).");
        var adapter = CommonOptions.Adapter(required: true);
        var output = new Option<string>("--out") { Description = "Folder to write the merged model to.", Required = true };
        var command = new Command("merge", "Merge a LoRA adapter into its base model and write a full Hugging Face folder.")
            { model, adapter, output };
        command.SetAction(r =>
        {
            var dir = r.GetValue(model)!;
            using var m = Rollout.Model.AdaptedModel.Load(dir, r.GetValue(adapter), ComputeDevice.Cpu, HfTokenizer.Load(dir));
            var lora = m.Lora!;
            m.MergeLora();
            AtomicDirectory.Write(r.GetValue(output)!, tmp => HfModelFolder.Save(m, tmp, tokenizerDir: dir));
            Console.Out.WriteLine(OutputJson.Serialize(new
            {
                @out = r.GetValue(output),
                rank = lora.Rank,
                alpha = lora.Alpha,
                target_modules = lora.ResolvedTargets(),
            }));
            return 0;
        });
        return command;
    }
}
