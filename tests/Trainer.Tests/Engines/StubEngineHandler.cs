using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>
/// An engine on no network: records every request (method, URL path, JSON body) and answers from a script keyed by
/// path. A script entry may delay (to trip a time-out) or throw (a refused connection). Unscripted paths answer 404.
/// </summary>
internal sealed class StubEngineHandler : HttpMessageHandler
{
    public sealed record Call(string Method, string Host, string Path, JsonNode? Body);

    /// <summary>One scripted answer: status, body text (empty = no body) and an optional delay before it.</summary>
    public sealed record Reply(HttpStatusCode Status, string Body = "", double DelaySeconds = 0, bool Refuse = false)
    {
        public static Reply Json(JsonNode node) => new(HttpStatusCode.OK, node.ToJsonString());
        public static Reply Empty => new(HttpStatusCode.OK);
    }

    private readonly Dictionary<string, Queue<Reply>> _script = new();
    private readonly Dictionary<string, Reply> _always = new();
    public List<Call> Calls { get; } = new();

    /// <summary>Answers <paramref name="path"/> with these replies in turn, then with the last one for ever.</summary>
    public StubEngineHandler On(string path, params Reply[] replies)
    {
        _script[path] = new Queue<Reply>(replies[..^1]);
        _always[path] = replies[^1];
        return this;
    }

    public IEnumerable<Call> To(string path) { lock (Calls) return Calls.Where(c => c.Path == path).ToList(); }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var text = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        var path = request.RequestUri!.AbsolutePath;
        lock (Calls) Calls.Add(new Call(request.Method.Method, request.RequestUri.Authority, path, text.Length == 0 ? null : JsonNode.Parse(text)));
        Reply reply;
        lock (_script)
            reply = _script.TryGetValue(path, out var q) && q.Count > 0 ? q.Dequeue()
                : _always.TryGetValue(path, out var r) ? r : new Reply(HttpStatusCode.NotFound, "{\"detail\":\"Not Found\"}");
        if (reply.DelaySeconds > 0) await Task.Delay(TimeSpan.FromSeconds(reply.DelaySeconds), ct);
        if (reply.Refuse) throw new HttpRequestException("Connection refused (stub)");
        return new HttpResponseMessage(reply.Status) { Content = new StringContent(reply.Body, Encoding.UTF8, "application/json") };
    }
}
