using System.CommandLine;

namespace RlTrainer.Trainer.Cli;

/// `rltrainer generate`: one completion for one prompt, printed as a JSON object.
internal static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "Generate one completion (JSON on standard output).");
        command.SetAction(_ => { Console.Error.WriteLine("generate: not implemented yet"); return 1; });
        return command;
    }
}
