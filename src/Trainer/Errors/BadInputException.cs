namespace RlTrainer.Trainer.Errors;

/// <summary>Bad input (an option, a configuration key or value, a file named by either): exit code 2.</summary>
public class BadInputException(string message, Exception? inner = null) : ReportedException(message, inner)
{
    public override int ExitCode => ExitCodes.BadInput;
}
