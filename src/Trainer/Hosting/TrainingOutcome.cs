using System.Runtime.ExceptionServices;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// How the hosted training ended: the service records its failure here, and the `train` command turns it into the
/// process's exit code and one error message once the host has stopped (a process-wide Environment.ExitCode would
/// mix up runs hosted side by side in one process, as the tests do).
/// </summary>
public sealed class TrainingOutcome
{
    /// <summary>What stopped the run, or null when it finished or was stopped by request.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>0, or the failure's code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode => Failure is null ? ExitCodes.Success : ErrorReport.Describe(Failure).ExitCode;

    public void Fail(Exception e) => Failure ??= e;

    /// <summary>Rethrows the failure with its original stack trace (shown under --verbose).</summary>
    public void ThrowIfFailed()
    {
        if (Failure is not null) ExceptionDispatchInfo.Capture(Failure).Throw();
    }
}
