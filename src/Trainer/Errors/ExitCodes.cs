namespace RlTrainer.Trainer.Errors;

/// <summary>
/// The process exit codes of every command. 2: the input was wrong (an option, a configuration key or value, or a file
/// the command was pointed at), so nothing ran or nothing was changed; fix the input and run again. 1: the command
/// started and then failed (a non-finite loss, a full disk, an engine that went away, a bug).
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int BadInput = 2;
}
