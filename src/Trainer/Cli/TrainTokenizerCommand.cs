using System.CommandLine;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Cli;

/// `rltrainer train-tokenizer`: a byte-level BPE tokenizer (tokenizer.json + ChatML tokenizer_config.json) learned from
/// the prompts and target completions of Parquet data sets.
internal static class TrainTokenizerCommand
{
    public static Command Create()
    {
        var data = new Option<string[]>("--data") { Description = "Parquet files or globs whose prompts and targets form the corpus.", Required = true, AllowMultipleArgumentsPerToken = true };
        var vocab = new Option<int>("--vocab-size") { Description = "Ids in total, 256 bytes and 3 special tokens included.", DefaultValueFactory = _ => 512 };
        var output = new Option<string>("--out") { Description = "Folder for tokenizer.json and tokenizer_config.json.", Required = true };
        var maxLen = new Option<int>("--model-max-length") { Description = "model_max_length written to tokenizer_config.json.", DefaultValueFactory = _ => 512 };
        var command = new Command("train-tokenizer", "Learn a small byte-level BPE tokenizer from data sets.") { data, vocab, output, maxLen };
        command.SetAction(r =>
        {
            var examples = new ParquetExampleReader(new DataOptions { Files = r.GetValue(data)!.ToList() }).ReadExamples().ToList();
            var corpus = examples.SelectMany(e => e.Prompt.Select(m => m.Content).Append(e.Target ?? ""));
            var model = new ByteLevelBpeTrainer(r.GetValue(vocab)).Train(corpus);
            model.Save(r.GetValue(output)!, r.GetValue(maxLen));
            Console.Error.WriteLine($"wrote {r.GetValue(output)}: {model.VocabSize} ids from {examples.Count} examples");
            return 0;
        });
        return command;
    }
}
