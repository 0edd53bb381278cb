using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Safetensors;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

public class HfModelFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hf-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static Tensor Logits(CausalLm m)
    {
        using var ids = tensor(new long[] { 3, 14, 15, 92, 65 }).unsqueeze(0);
        using var mask = ones(1, 5, ScalarType.Bool);
        using var pos = arange(5L).unsqueeze(0);
        return m.Forward(ids, pos, mask);
    }

    [Theory]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    [InlineData("llama")]
    public void SaveThenLoad_GivesIdenticalLogits(string type)
    {
        using var m = TinyModels.Random(type, seed: 11);
        HfModelFolder.Save(m, _dir);
        Assert.True(File.Exists(Path.Combine(_dir, "generation_config.json")));
        using var back = HfModelFolder.Load(_dir, ComputeDevice.Cpu);
        using var a = Logits(m);
        using var b = Logits(back);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.Equal(type, JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!["model_type"]!.GetValue<string>());
    }

    [Fact]
    public void Save_AboveTheShardSize_WritesTransformersShardsAndIndex()
    {
        using var m = TinyModels.Random("qwen2", seed: 12);
        const long maxShard = 20_000;
        HfModelFolder.Save(m, _dir, maxShardBytes: maxShard);
        Assert.False(File.Exists(Path.Combine(_dir, HfModelFolder.SingleFile)));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, HfModelFolder.IndexFile)))!;
        var map = index["weight_map"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        var shards = Directory.GetFiles(_dir, "model-*.safetensors").Select(Path.GetFileName).OrderBy(f => f).ToArray();
        int n = shards.Length;
        Assert.True(n >= 3, $"expected several shards, got {n}");
        // transformers' names: model-00001-of-0000N.safetensors, 1-based, five digits
        Assert.Equal(Enumerable.Range(1, n).Select(i => $"model-{i:D5}-of-{n:D5}.safetensors"), shards);
        Assert.Equal(shards, map.Values.Distinct().OrderBy(f => f));
        var names = m.named_parameters().Select(p => p.name).ToHashSet();
        Assert.True(names.SetEquals(map.Keys));
        long total = m.parameters().Sum(p => p.numel() * 4);
        Assert.Equal(total, index["metadata"]!["total_size"]!.GetValue<long>());
        foreach (var shard in shards)
        {
            using var f = SafetensorsFile.Open(Path.Combine(_dir, shard!));
            long bytes = f.Entries.Values.Sum(e => e.Shape.Aggregate(1L, (a, d) => a * d) * 4);
            Assert.True(bytes <= maxShard || f.Entries.Count == 1, $"{shard}: {bytes} bytes in {f.Entries.Count} tensors");
            Assert.All(f.Entries.Keys, k => Assert.Equal(shard, map[k]));
        }
        using var back = HfModelFolder.Load(_dir, ComputeDevice.Cpu);
        using var a = Logits(m);
        using var b = Logits(back);
        Assert.True(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void Load_MissingTensor_NamesTheTensor()
    {
        using var m = TinyModels.Random("qwen2");
        var tensors = m.named_parameters().Where(p => p.name != "model.layers.1.mlp.up_proj.weight")
            .Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList();
        File.WriteAllText(Path.Combine(_dir, "config.json"), m.Config.ToJson().ToJsonString());
        SafetensorsFile.Write(Path.Combine(_dir, "model.safetensors"), tensors);
        var e = Assert.Throws<InvalidDataException>(() => HfModelFolder.Load(_dir, ComputeDevice.Cpu));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void Load_ShapeMismatch_NamesFileTensorAndShapes()
    {
        using var m = TinyModels.Random("qwen2");
        HfModelFolder.Save(m, _dir);
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!.AsObject();
        cfg["intermediate_size"] = 48;
        File.WriteAllText(Path.Combine(_dir, "config.json"), cfg.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => HfModelFolder.Load(_dir, ComputeDevice.Cpu));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("mlp.gate_proj.weight", e.Message);
        Assert.Contains("[64, 32]", e.Message);
        Assert.Contains("[48, 32]", e.Message);
    }

    [Fact]
    public void Load_UnknownModelType_NamesTheFileAndType()
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{\"model_type\": \"gpt_neox\", \"hidden_size\": 8}");
        var e = Assert.Throws<InvalidDataException>(() => HfModelFolder.Load(_dir, ComputeDevice.Cpu));
        Assert.Contains("config.json", e.Message);
        Assert.Contains("gpt_neox", e.Message);
    }

    [Fact]
    public void BFloat16Compute_SameCodePath_TracksFloat32()
    {
        // The cuda setting computes in bfloat16; running that dtype on CPU exercises the same code path.
        using var m32 = TinyModels.Random("qwen3", seed: 12, std: 0.1);
        HfModelFolder.Save(m32, _dir);
        using var m16 = HfModelFolder.Load(_dir, ComputeDevice.Cpu.WithDType(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, m16.parameters().First().dtype);
        using var a = Logits(m32);
        using var b = Logits(m16).to(ScalarType.Float32);
        // bf16 has an 8-bit mantissa: agreement to a few 1e-2 relative is what a correct path gives
        var maxErr = (a - b).abs().max().item<float>();
        var scale = a.abs().max().item<float>();
        Assert.True(maxErr < 0.05 * scale, $"bf16 logits differ by {maxErr} (scale {scale})");
        Assert.True(a.argmax(-1).eq(b.argmax(-1)).all().item<bool>());
    }

    [Fact]
    public void Save_WithUnmergedAdapters_RefusesBeforeWriting_AndAfterMergeWritesTheMergedWeights()
    {
        var lora = new LoraConfig { Rank = 2, Alpha = 4, TargetModules = [LoraConfig.AllLinear] };
        using var m = TinyModels.RandomWithAdapter(lora, seed: 13);
        var target = Path.Combine(_dir, "full");
        var e = Assert.Throws<InvalidOperationException>(() => HfModelFolder.Save(m, target));
        Assert.Contains("unmerged LoRA adapters", e.Message);
        Assert.Contains("PeftAdapterFolder.Save", e.Message);
        Assert.False(Directory.Exists(target));
        using var withAdapter = Logits(m);
        m.MergeLora();
        HfModelFolder.Save(m, target);
        using (var f = SafetensorsFile.Open(Path.Combine(target, HfModelFolder.SingleFile)))
            Assert.DoesNotContain(f.Entries.Keys, k => k.Contains("lora"));
        using var back = HfModelFolder.Load(target, ComputeDevice.Cpu);
        using var merged = Logits(back);
        double diff = (merged - withAdapter).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"saved merged model vs adapter forward: {diff:E2} (logit scale {withAdapter.abs().max().item<float>()})");
    }

    [Fact]
    public void LoadWeights_WithAdaptersAttached_ReadsOnlyTheBaseTensors()
    {
        using var source = TinyModels.Random("qwen2", seed: 14);
        HfModelFolder.Save(source, _dir);
        using var m = TinyModels.Random("qwen2", seed: 15);
        m.AddLora(new LoraConfig(), seed: 1);
        HfModelFolder.LoadWeights(m, _dir);
        using var a = Logits(source);
        using var b = Logits(m);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.NotNull(m.Lora);
    }

    [Fact]
    public void Save_MergeAdapters_WritesAMergedCopy_AndLeavesTheModelAndItsAdapterAsTheyWere()
    {
        var lora = new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "down_proj"] };
        using var m = TinyModels.RandomWithAdapter(lora, seed: 16);
        using var before = Logits(m);
        var target = Path.Combine(_dir, "merged-copy");
        HfModelFolder.Save(m, target, mergeAdapters: true);
        Assert.NotNull(m.Lora);
        using var after = Logits(m);
        Assert.True(after.eq(before).all().item<bool>(), "saving a merged copy changed the model");
        using var back = HfModelFolder.Load(target, ComputeDevice.Cpu);
        using var copy = Logits(back);
        double diff = (copy - before).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"merged copy vs adapter forward: {diff:E2}");
        using (m.AdaptersDisabled())
        using (var baseLogits = Logits(m))
            Assert.True((copy - baseLogits).abs().max().item<float>() > 1e-4, "the copy holds the base weights, not the merged ones");
    }
}
