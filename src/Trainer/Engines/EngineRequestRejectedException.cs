using System.Net;

namespace RlTrainer.Trainer.Engines;

/// <summary>An engine refused a request with a 4xx that the same request would get again (e.g. a prompt longer than
/// the server's context, an unknown field, a wrong API key): not retried, and the engine is not marked down.</summary>
internal sealed class EngineRequestRejectedException(string url, HttpStatusCode status, string serverMessage)
    : Exception($"{url} answered HTTP {(int)status}: {serverMessage}")
{
    public string Url { get; } = url;
    public HttpStatusCode Status { get; } = status;
    public string ServerMessage { get; } = serverMessage;
}
