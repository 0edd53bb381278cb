using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Tests.Engines;
using RlTrainer.Trainer.Tests.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Serving;

/// <summary>`rltrainer serve` loads a PEFT adapter at run time through either engine's endpoint and then samples what a
/// server launched with that adapter (serve --adapter) samples; unknown names get each API's error.</summary>
public sealed class AdapterEndpointsTests : IDisposable
{
    private readonly TinyRun _run = new(maxSteps: 1);
    private readonly string _adapterDir;
    private readonly InProcessServe _serve, _launched;
    private readonly HttpClient _http = new();
    private static readonly PromptJob Job = new(new[] { 5, 6, 7 }, N: 1, Seed: 9);
    private static readonly SamplingOptions Greedy = new() { MaxNewTokens = 4, Greedy = true };

    public AdapterEndpointsTests()
    {
        _adapterDir = Path.Combine(_run.Dir, "adapter");
        using (var m = HfModelFolder.Load(_run.ModelDir, ComputeDevice.Cpu))
        {
            m.AddLora(new LoraConfig { Rank = 2, Alpha = 4, TargetModules = [LoraConfig.AllLinear] }, seed: 1);
            using var noGrad = no_grad();
            using var g = new Generator(5);
            foreach (var (name, p) in m.LoraParameters().Where(p => p.PeftName.Contains("lora_B")))
                p.copy_(randn(p.shape, generator: g) * 0.3f);   // B starts at zero: give the adapter an effect
            PeftAdapterFolder.Save(m, _adapterDir);
        }
        _serve = new InProcessServe(_run.ModelDir);
        _launched = new InProcessServe(_run.ModelDir, _adapterDir);
    }

    private async Task<(HttpStatusCode Status, string Text)> Post(InProcessServe serve, string path, JsonNode body)
    {
        using var response = await _http.PostAsync(serve.Url + path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<float[]> VllmLogProbs(InProcessServe serve, string? model)
    {
        var (status, text) = await Post(serve, "/v1/completions", new VllmCompletionsDialect("").GenerateBody(Job, Greedy, model));
        Assert.True(status == HttpStatusCode.OK, text);
        return new VllmCompletionsDialect("").ParseGenerate(JsonNode.Parse(text), Job)[0].Result.LogProbs.ToArray();
    }

    private async Task<float[]> SglangLogProbs(InProcessServe serve, string? adapter)
    {
        var (status, text) = await Post(serve, "/generate", new SglangGenerateDialect().GenerateBody(Job, Greedy, adapter));
        Assert.True(status == HttpStatusCode.OK, text);
        return new SglangGenerateDialect().ParseGenerate(JsonNode.Parse(text), Job)[0].Result.LogProbs.ToArray();
    }

    private static double MaxGap(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));

    [Fact]
    public async Task Vllm_LoadedAdapter_SamplesAsTheLaunchedAdapter_AndUnknownOrUnloadedNamesAre404()
    {
        var (status, text) = await Post(_serve, "/v1/load_lora_adapter", new JsonObject { ["lora_name"] = "tuned", ["lora_path"] = _adapterDir });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Success: LoRA adapter 'tuned' added successfully.", text);

        var reference = await VllmLogProbs(_launched, null);
        var tuned = await VllmLogProbs(_serve, "tuned");
        Assert.Equal(reference.Length, tuned.Length);
        Assert.True(MaxGap(reference, tuned) < 1e-5, $"gap {MaxGap(reference, tuned)}");
        var plain = await VllmLogProbs(_serve, null);                    // the base model is still served by its name
        Assert.True(MaxGap(plain, tuned) > 1e-3, "the adapter changed nothing");

        var models = JsonNode.Parse(await _http.GetStringAsync(_serve.Url + "/v1/models"))!["data"]!.AsArray();
        Assert.Equal(["model", "tuned"], models.Select(m => (string)m!["id"]!));

        (status, text) = await Post(_serve, "/v1/completions", new VllmCompletionsDialect("").GenerateBody(Job, Greedy, "nope"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("The model `nope` does not exist.", (string)JsonNode.Parse(text)!["message"]!);
        Assert.Equal("NotFoundError", (string)JsonNode.Parse(text)!["type"]!);

        (status, text) = await Post(_serve, "/v1/unload_lora_adapter", new JsonObject { ["lora_name"] = "tuned" });
        Assert.Equal((HttpStatusCode.OK, "Success: LoRA adapter 'tuned' removed successfully."), (status, text));
        (status, _) = await Post(_serve, "/v1/completions", new VllmCompletionsDialect("").GenerateBody(Job, Greedy, "tuned"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await Post(_serve, "/v1/unload_lora_adapter", new JsonObject { ["lora_name"] = "tuned" });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(plain, await VllmLogProbs(_serve, null));            // unloading left the base weights as they were
    }

    [Fact]
    public async Task Sglang_LoadedAdapter_SamplesAsTheLaunchedAdapter_AndBadLoadsOrUnknownNamesAre400()
    {
        var (status, text) = await Post(_serve, "/load_lora_adapter", new JsonObject { ["lora_name"] = "tuned", ["lora_path"] = _adapterDir });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(new SglangGenerateDialect().AdapterLoadFailure(JsonNode.Parse(text)));
        Assert.Equal(_adapterDir, (string)JsonNode.Parse(text)!["loaded_adapters"]!["tuned"]!);

        var reference = await SglangLogProbs(_launched, null);
        var tuned = await SglangLogProbs(_serve, "tuned");
        Assert.True(MaxGap(reference, tuned) < 1e-5, $"gap {MaxGap(reference, tuned)}");
        Assert.True(MaxGap(await SglangLogProbs(_serve, null), tuned) > 1e-3, "the adapter changed nothing");

        (status, text) = await Post(_serve, "/generate", new SglangGenerateDialect().GenerateBody(Job, Greedy, "nope"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not loaded: nope", (string)JsonNode.Parse(text)!["message"]!);

        (status, text) = await Post(_serve, "/load_lora_adapter", new JsonObject { ["lora_name"] = "tuned", ["lora_path"] = _adapterDir });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("already been loaded", text);
        (status, text) = await Post(_serve, "/load_lora_adapter", new JsonObject { ["lora_name"] = "other", ["lora_path"] = _run.ModelDir });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a PEFT adapter folder", text);

        (status, text) = await Post(_serve, "/unload_lora_adapter", new JsonObject { ["lora_name"] = "tuned" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(JsonNode.Parse(text)!["loaded_adapters"]!.AsObject());
        (status, _) = await Post(_serve, "/generate", new SglangGenerateDialect().GenerateBody(Job, Greedy, "tuned"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    public void Dispose()
    {
        _http.Dispose();
        _serve.Dispose();
        _launched.Dispose();
        _run.Dispose();
    }
}
