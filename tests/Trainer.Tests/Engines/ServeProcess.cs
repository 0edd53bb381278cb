using System.Diagnostics;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>
/// `rltrainer serve` as its own process on a free loopback port, exactly as a user starts an engine: the test waits for
/// /health, and Kill ends the process as a crash would.
/// </summary>
internal sealed class ServeProcess : IServeEngine
{
    private readonly Process _process;
    public string Url { get; }

    public ServeProcess(string modelDir)
    {
        int port = InProcessServe.FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "rltrainer.dll"), "serve", "--model", modelDir, "--port", port.ToString() })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (_process.HasExited) throw new InvalidOperationException($"rltrainer serve exited with code {_process.ExitCode}");
            try
            {
                if (http.GetAsync(Url + "/health").GetAwaiter().GetResult().IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            Thread.Sleep(100);
        }
        Kill();
        throw new TimeoutException($"rltrainer serve on {Url} did not answer /health within 2 minutes");
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
