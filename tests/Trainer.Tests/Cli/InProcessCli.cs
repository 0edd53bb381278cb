using RlTrainer.Trainer.Cli;

namespace RlTrainer.Trainer.Tests.Cli;

/// <summary>Runs `rltrainer ARGS` in this process through the real entry point and its error handler.</summary>
internal static class InProcessCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLineApp.InvokeAsync(args, output, error).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Asserts the exit code, that standard error is "error: ..." lines holding every fragment, and that neither stream
    /// holds a stack frame.
    /// </summary>
    public static void AssertError((int Code, string Out, string Err) result, int code, params string[] fragments)
    {
        Assert.True(result.Code == code, $"exit {result.Code}, expected {code}; stderr: {result.Err}");
        Assert.StartsWith("error: ", result.Err);
        foreach (var f in fragments) Assert.Contains(f, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.DoesNotContain("   at ", result.Out);
    }
}
