using System.CommandLine;
using RlTrainer.Trainer.Cli;

// Program.cs only wires: every subcommand lives in Cli/<Name>Command.cs and builds itself.
var root = new RootCommand("RlTrainer: RL post-training (GRPO, ESS) for causal language models on TorchSharp.");
foreach (var command in new[]
{
    GenerateCommand.Create(),
    InitModelCommand.Create(),
    DataCommand.Create(),
    TokenizeCommand.Create(),
    TrainTokenizerCommand.Create(),
    SftCommand.Create(),
    TrainCommand.Create(),
    ScoreCommand.Create(),
    EvalCommand.Create(),
    BenchCommand.Create(),
    ReportCommand.Create(),
    ServeCommand.Create(),
    PruneSimCommand.Create(),
})
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
