using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using RlTrainer.Trainer.Serving;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>
/// `rltrainer serve` hosted in the test process on a free loopback port: the same InferenceHost.Build the CLI runs,
/// without paying a process start (and a TorchSharp load) per engine. Kill stops it listening, as a crash would.
/// </summary>
internal sealed class InProcessServe : IServeEngine
{
    private readonly WebApplication _app;
    private bool _stopped;
    public string Url { get; }

    /// <param name="adapterDir">A launch adapter (serve --adapter), or null.</param>
    public InProcessServe(string modelDir, string? adapterDir = null)
    {
        int port = FreePort();
        _app = InferenceHost.Build(new ServeOptions { ModelDir = modelDir, AdapterDir = adapterDir, Port = port });
        _app.StartAsync().GetAwaiter().GetResult();
        Url = $"http://127.0.0.1:{port}";
    }

    public void Kill()
    {
        if (_stopped) return;
        _stopped = true;
        _app.StopAsync().GetAwaiter().GetResult();
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Kill();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
