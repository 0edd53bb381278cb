using RlTrainer.Trainer.Cli;

// Program.cs only wires: the commands and the error handling live in Cli/CommandLineApp.cs.
return await CommandLineApp.InvokeAsync(args);
