using System.CommandLine;
using Microsoft.Extensions.Logging;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Sft;

namespace RlTrainer.Trainer.Cli;

/// `rltrainer sft`: supervised fine-tuning on prompt + target completion (loss on the completion only, not on tool
/// responses injected inside it; see <see cref="SftExampleEncoder"/>), written as a Hugging Face folder.
internal static class SftCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model("Model folder to start from (with tokenizer files).");
        var data = new Option<string[]>("--data") { Description = "Parquet files or globs with a target completion per row (extra_info / solution).", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Folder for the fine-tuned model (written atomically).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per step.", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 1e-3 };
        var warmup = new Option<int>("--warmup-steps") { Description = "Linear warm-up steps.", DefaultValueFactory = _ => 50 };
        var schedule = new Option<LrScheduleKind>("--schedule") { Description = "constant, linear or cosine.", DefaultValueFactory = _ => LrScheduleKind.Cosine };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW decoupled weight decay.", DefaultValueFactory = _ => 0.01 };
        var maxLength = new Option<int>("--max-length") { Description = "Drop sequences longer than this.", DefaultValueFactory = _ => 256 };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("sft", "Supervised fine-tuning on target completions (loss on completion tokens only).")
            { model, data, output, steps, batch, lr, warmup, schedule, weightDecay, maxLength, seed, device };
        command.SetAction(r =>
        {
            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
            var logger = loggerFactory.CreateLogger("sft");
            var dir = r.GetValue(model)!;
            var encoder = new PromptEncoder(HfTokenizer.Load(dir));
            var rows = new ParquetExampleReader(new DataOptions { Files = r.GetValue(data)!.ToList() }).ReadExamples().ToList();
            var sftEncoder = new SftExampleEncoder(encoder);
            var examples = rows.Select(sftEncoder.Encode).ToList();
            logger.LogInformation("SFT on {Count} examples, mean length {Mean:F1} tokens, {Injected} with injected tool responses (loss mask 0)",
                examples.Count, examples.Average(e => e.Length), examples.Count(e => e.TrainedTokens < e.TargetIds.Count));

            TorchSharp.torch.manual_seed(r.GetValue(seed));
            using var m = HfModelFolder.Load(dir, CommonOptions.ParseDevice(r.GetValue(device)!), encoder.Tokenizer);
            var sft = new SftOptions { Steps = r.GetValue(steps), BatchSize = r.GetValue(batch), MaxLength = r.GetValue(maxLength), Seed = r.GetValue(seed) };
            var opt = new OptimizerOptions
            {
                LearningRate = r.GetValue(lr), WarmupSteps = r.GetValue(warmup), Schedule = r.GetValue(schedule),
                WeightDecay = r.GetValue(weightDecay), MaxGradNorm = 1.0,
            };
            new SftTrainer(m, sft, opt, logger).Train(examples);
            AtomicDirectory.Write(r.GetValue(output)!, tmp => HfModelFolder.Save(m, tmp, tokenizerDir: dir));
            logger.LogInformation("wrote {Out}", r.GetValue(output));
            return 0;
        });
        return command;
    }
}
