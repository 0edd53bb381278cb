using System.Reflection;
using Microsoft.Extensions.Options;
using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Trainer.Errors;

/// <summary>
/// Turns an exception into what the user sees: an exit code and a message that names the file, key or column and the
/// value, printed as "error: ..." lines without a stack trace (with one under --verbose).
/// </summary>
public static class ErrorReport
{
    /// <summary>The exit code of <paramref name="e"/> and its message; see <see cref="ExitCodes"/>.</summary>
    public static (int ExitCode, string Message) Describe(Exception e)
    {
        e = Unwrap(e);
        return e switch
        {
            ReportedException r => (r.ExitCode, r.Message),
            OptionsValidationException o => (ExitCodes.BadInput, string.Join(Environment.NewLine, o.Failures)),
            // The loaders of every layer (data, model folder, tokenizer, reward mix) say which file and what in it.
            RewardConfigException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                or UnauthorizedAccessException => (ExitCodes.BadInput, e.Message),
            IOException or NotFiniteNumberException => (ExitCodes.RuntimeFailure, e.Message),
            OperationCanceledException => (ExitCodes.RuntimeFailure, "cancelled"),
            // Anything else is a bug: say what it was and how to see where.
            _ => (ExitCodes.RuntimeFailure, $"{e.GetType().Name}: {e.Message} (run again with --verbose for the stack trace)"),
        };
    }

    /// <summary>Writes "error: " + each line of the message (and the whole exception when verbose); returns the exit code.</summary>
    public static int Write(Exception e, TextWriter error, bool verbose)
    {
        var (code, message) = Describe(e);
        foreach (var line in message.Split('\n')) error.WriteLine($"error: {line.TrimEnd('\r')}");
        if (verbose) error.WriteLine(Unwrap(e).ToString());
        return code;
    }

    /// <summary>The exception that says what went wrong, under the wrappers of reflection and tasks.</summary>
    public static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case TargetInvocationException { InnerException: { } inner }: e = inner; break;
                case AggregateException a when a.InnerExceptions.Count == 1: e = a.InnerExceptions[0]; break;
                default: return e;
            }
        }
    }
}
