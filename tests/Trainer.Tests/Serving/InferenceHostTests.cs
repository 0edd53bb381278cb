using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Tests.Engines;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Serving;

/// <summary>`rltrainer serve` (in process, on loopback) answers the probes and cache resets the trainer sends, takes
/// the neutral sampling fields, and refuses what it cannot honour with HTTP 400 naming the field.</summary>
public sealed class InferenceHostTests : IDisposable
{
    private readonly TinyRun _run = new(maxSteps: 1);
    private readonly InProcessServe _serve;
    private readonly HttpClient _http = new();
    private static readonly PromptJob Job = new(new[] { 5, 6, 7 }, N: 2, Seed: 9);

    public InferenceHostTests() => _serve = new InProcessServe(_run.ModelDir);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Send(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, _serve.Url + path)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task AnswersTheStartUpProbesOfBothDialects_AndThePrefixCacheReset()
    {
        var (status, version) = await Send(HttpMethod.Get, "/version");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(new VllmCompletionsDialect("").ParseInfo(version).Version));

        (status, var info) = await Send(HttpMethod.Get, "/get_server_info");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(new SglangGenerateDialect().ParseInfo(info).DeterministicInference);
        Assert.Equal("0", (string)info!["weight_version"]!);

        (status, var reset) = await Send(HttpMethod.Post, "/reset_prefix_cache");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(new VllmCompletionsDialect("").CacheResetFailure(reset));
    }

    [Fact]
    public async Task TakesTheNeutralFields_AndRefusesAPenaltyItCannotApply()
    {
        var vllm = new VllmCompletionsDialect("", sendSeeds: true).GenerateBody(Job, new SamplingOptions { MaxNewTokens = 3 });
        var (status, answer) = await Send(HttpMethod.Post, "/v1/completions", vllm);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, new VllmCompletionsDialect("").ParseGenerate(answer, Job).Count);

        vllm["min_p"] = 0.05;
        (status, answer) = await Send(HttpMethod.Post, "/v1/completions", vllm);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"min_p\"", (string)answer!["message"]!);

        var sglang = new SglangGenerateDialect().GenerateBody(Job, new SamplingOptions { MaxNewTokens = 3 });
        (status, _) = await Send(HttpMethod.Post, "/generate", sglang);
        Assert.Equal(HttpStatusCode.OK, status);
        sglang["sampling_params"]![1]!["repetition_penalty"] = 1.05;
        (status, answer) = await Send(HttpMethod.Post, "/generate", sglang);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"repetition_penalty\"", (string)answer!["message"]!);
    }

    [Fact]
    public async Task APromptPlusMaxTokensBeyondTheContext_IsRefused()
    {
        var body = new VllmCompletionsDialect("").GenerateBody(Job, new SamplingOptions { MaxNewTokens = 40_000 });
        var (status, answer) = await Send(HttpMethod.Post, "/v1/completions", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("maximum context length is 32768 tokens", (string)answer!["message"]!);
    }

    public void Dispose()
    {
        _http.Dispose();
        _serve.Dispose();
        _run.Dispose();
    }
}
