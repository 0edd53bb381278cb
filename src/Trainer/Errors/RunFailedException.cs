namespace RlTrainer.Trainer.Errors;

/// <summary>A command that started and could not finish (the message says what is left on disk): exit code 1.</summary>
public class RunFailedException(string message, Exception? inner = null) : ReportedException(message, inner)
{
    public override int ExitCode => ExitCodes.RuntimeFailure;
}
