using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// JSON over HTTP to the engines. An empty 2xx body reads as null (vLLM's /collective_rpc and older
/// /reset_prefix_cache answer so). A 4xx other than 408 and 429 throws <see cref="EngineRequestRejectedException"/>
/// with the server's own message; 408, 429 and 5xx throw <see cref="HttpRequestException"/> carrying the status, for
/// the retry pipeline. The client has no timeout of its own: each call runs under a Polly timeout.
/// </summary>
internal sealed class EngineHttp : IDisposable
{
    private readonly HttpClient _client;

    public EngineHttp(string? apiKey, HttpMessageHandler? handler)
    {
        _client = new HttpClient(handler ?? new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(apiKey)) _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <param name="json">The body; null sends none (vLLM's /reset_prefix_cache reads only its query).</param>
    /// <param name="textAnswer">A 2xx body that is not JSON comes back as a JSON string instead of failing (vLLM's
    /// /v1/load_lora_adapter answers "Success: LoRA adapter 'NAME' added successfully" as plain text).</param>
    public Task<JsonNode?> PostAsync(string url, string? json, CancellationToken ct, bool textAnswer = false) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        }, ct, textAnswer);

    public Task<JsonNode?> GetAsync(string url, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url), ct, false);

    private async Task<JsonNode?> SendAsync(HttpRequestMessage request, CancellationToken ct, bool textAnswer)
    {
        using var _ = request;
        var url = request.RequestUri!.ToString();
        using var response = await _client.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var status = response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            var message = ServerMessage(text);
            if (IsDeterministic(status)) throw new EngineRequestRejectedException(url, status, message);
            throw new HttpRequestException($"HTTP {(int)status}: {message}", null, status);
        }
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException x)
        {
            if (textAnswer) return JsonValue.Create(text.Trim());
            throw new FormatException($"answer is not JSON ({x.Message}): {Truncate(text)}");
        }
    }

    /// <summary>4xx but time-out (408) and rate limit (429): the same request would be refused again.</summary>
    public static bool IsDeterministic(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not HttpStatusCode.RequestTimeout and not HttpStatusCode.TooManyRequests;

    /// <summary>The message of the error shapes the engines answer: vLLM {"message"} or {"error": {"message"}},
    /// SGLang {"error": {"message"}}, {"message"} or {"error_message"} (its LoRA endpoints), FastAPI {"detail"}; else
    /// the text itself.</summary>
    public static string ServerMessage(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject o)
            {
                var found = o["error"] switch
                {
                    JsonObject e => e["message"],
                    JsonValue e => e,
                    _ => null,
                } ?? o["message"] ?? o["error_message"] ?? o["detail"];
                if (found is JsonValue v && v.TryGetValue<string>(out var s)) return Truncate(s);
                if (found is not null) return Truncate(found.ToJsonString());
            }
        }
        catch (JsonException) { }
        return string.IsNullOrWhiteSpace(body) ? "(empty body)" : Truncate(body.Trim());
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500] + "…";

    public void Dispose() => _client.Dispose();
}
