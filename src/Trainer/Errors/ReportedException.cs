namespace RlTrainer.Trainer.Errors;

/// <summary>
/// A failure whose message is written for the user as it stands (it names the file, key or column and the value) and
/// which knows its exit code. The top-level handler prints the message alone, without the stack trace.
/// </summary>
public abstract class ReportedException(string message, Exception? inner) : Exception(message, inner)
{
    /// <summary>One of <see cref="ExitCodes"/>.</summary>
    public abstract int ExitCode { get; }
}
