using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Safetensors;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

public class PeftAdapterFolderTests : IDisposable
{
    private static readonly LoraConfig Config = new()
    {
        Rank = 4, Alpha = 8, Dropout = 0.1, TargetModules = [LoraConfig.AllLinear], BaseModelNameOrPath = "tiny/base",
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("peft-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string ConfigPath => Path.Combine(_dir, PeftAdapterFolder.ConfigFile);
    private string WeightsPath => Path.Combine(_dir, PeftAdapterFolder.WeightsFile);

    private static Tensor Logits(CausalLm m) => TinyModels.PromptLogits(m);

    private void SaveAdapter(int seed = 1)
    {
        using var m = TinyModels.RandomWithAdapter(Config, seed: seed);
        PeftAdapterFolder.Save(m, _dir);
    }

    [Fact]
    public void SaveThenLoad_GivesTheSameAdapterAndLogits()
    {
        using var scope = NewDisposeScope();
        using var m = TinyModels.RandomWithAdapter(Config, seed: 1);
        PeftAdapterFolder.Save(m, _dir);
        using var back = TinyModels.Random(seed: 1);
        PeftAdapterFolder.Load(back, _dir);
        back.eval();
        Assert.Equal(Config.Rank, back.Lora!.Rank);
        Assert.Equal(Config.Alpha, back.Lora.Alpha);
        Assert.Equal(Config.Dropout, back.Lora.Dropout);
        Assert.Equal("tiny/base", back.Lora.BaseModelNameOrPath);
        Assert.Equal(LoraConfig.AllTargets, back.Lora.ResolvedTargets());
        var saved = m.LoraParameters();
        var loaded = back.LoraParameters();
        Assert.Equal(saved.Select(p => p.PeftName), loaded.Select(p => p.PeftName));
        for (int i = 0; i < saved.Count; i++) Assert.True(saved[i].Parameter.eq(loaded[i].Parameter).all().item<bool>(), saved[i].PeftName);
        Assert.True(Logits(back).eq(Logits(m)).all().item<bool>());
        Assert.Equal(new[] { PeftAdapterFolder.ConfigFile, PeftAdapterFolder.WeightsFile },
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order());                       // no temp files left
    }

    [Fact]
    public void Save_WritesPeftsConfigFieldsAndKeys()
    {
        SaveAdapter();
        var c = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        Assert.Equal("LORA", (string?)c["peft_type"]);
        Assert.Equal("CAUSAL_LM", (string?)c["task_type"]);
        Assert.Equal(4, (int?)c["r"]);
        Assert.Equal(8.0, (double?)c["lora_alpha"]);
        Assert.Equal(0.1, (double?)c["lora_dropout"]);
        Assert.Equal(LoraConfig.AllTargets, c["target_modules"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("tiny/base", (string?)c["base_model_name_or_path"]);
        Assert.Equal("none", (string?)c["bias"]);
        Assert.False((bool?)c["fan_in_fan_out"]);
        Assert.True((bool?)c["inference_mode"]);

        // PEFT: lora_A = nn.Linear(in, r) → (r, in), lora_B = nn.Linear(r, out) → (out, r); TinyModels has hidden 32,
        // q out 32, k/v out 16 (2 kv heads × 8), intermediate 64.
        using var f = SafetensorsFile.Open(WeightsPath);
        Assert.Equal(2 * 7 * 2, f.Entries.Count);
        Assert.All(f.Entries.Values, e => Assert.Equal("F32", e.DType));
        string Shape(string key) => string.Join("x", f.Entries[key].Shape);
        Assert.Equal("4x32", Shape("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
        Assert.Equal("16x4", Shape("base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight"));
        Assert.Equal("32x4", Shape("base_model.model.model.layers.1.self_attn.o_proj.lora_B.weight"));
        Assert.Equal("64x4", Shape("base_model.model.model.layers.1.mlp.gate_proj.lora_B.weight"));
        Assert.Equal("4x64", Shape("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight"));
    }

    [Fact]
    public void ReadConfig_PeftWrittenFixture_ResolvesTargetsInAnyOrder()
    {
        var c = PeftAdapterFolder.ReadConfig(Path.Combine(AppContext.BaseDirectory, "Fixtures", "lora", "tiny-qwen2-r2"));
        Assert.Equal((2, 6.0, 0.05), (c.Rank, c.Alpha, c.Dropout));
        Assert.Equal(LoraConfig.AllTargets, c.ResolvedTargets());
    }

    [Fact]
    public void ReadConfig_AllLinearAsAString_MeansEveryProjection()
    {
        SaveAdapter();
        var c = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        c["target_modules"] = "all-linear";
        File.WriteAllText(ConfigPath, c.ToJsonString());
        Assert.Equal(LoraConfig.AllTargets, PeftAdapterFolder.ReadConfig(_dir).ResolvedTargets());
    }

    [Fact]
    public void Save_WithoutAdapters_Throws()
    {
        using var m = TinyModels.Random();
        Assert.Throws<InvalidOperationException>(() => PeftAdapterFolder.Save(m, _dir));
    }

    public static TheoryData<string, string?, string> BadConfigs => new()
    {
        { "peft_type", "\"IA3\"", "peft_type is 'IA3'; only LORA" },
        { "task_type", "\"SEQ_CLS\"", "task_type is 'SEQ_CLS'" },
        { "r", null, "key 'r' is missing" },
        { "r", "0", "r is 0; expected a positive whole number" },
        { "r", "\"8\"", "r is \"8\"; expected a number" },
        { "lora_alpha", null, "key 'lora_alpha' is missing" },
        { "lora_dropout", "1.5", "dropout (lora_dropout) is 1.5" },
        { "target_modules", "[\"q_proj\", \"qkv_proj\"]", "'qkv_proj' is not one of q_proj, k_proj" },
        { "target_modules", "\".*_proj\"", "regular expressions are not supported" },
        { "target_modules", "\"q_proj\"", "regular expressions are not supported" },
        { "target_modules", null, "key 'target_modules' is missing" },
        { "use_dora", "true", "use_dora is true" },
        { "use_rslora", "true", "use_rslora is true" },
        { "bias", "\"all\"", "bias is \"all\"" },
        { "rank_pattern", "{\"q_proj\": 8}", "rank_pattern is" },
        { "modules_to_save", "[\"lm_head\"]", "modules_to_save is" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void ReadConfig_BadKey_NamesTheFileAndKey(string key, string? json, string message)
    {
        SaveAdapter();
        var c = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        c.Remove(key);
        if (json is not null) c[key] = JsonNode.Parse(json);
        File.WriteAllText(ConfigPath, c.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.ReadConfig(_dir));
        Assert.StartsWith(ConfigPath + ": ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ReadConfig_MissingOrUnparsableFile_NamesTheFile()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => PeftAdapterFolder.ReadConfig(_dir));
        Assert.StartsWith(ConfigPath + ": not found", missing.Message);
        File.WriteAllText(ConfigPath, "{ \"r\": ");
        var broken = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.ReadConfig(_dir));
        Assert.StartsWith(ConfigPath + ": not valid JSON", broken.Message);
    }

    private void RewriteTensors(Func<List<KeyValuePair<string, Tensor>>, List<KeyValuePair<string, Tensor>>> edit)
    {
        List<KeyValuePair<string, Tensor>> tensors;
        using (var f = SafetensorsFile.Open(WeightsPath))
            tensors = f.Entries.Keys.Select(k => new KeyValuePair<string, Tensor>(k, f.Read(k))).ToList();
        SafetensorsFile.Write(WeightsPath, edit(tensors));
    }

    public static TheoryData<string, string> BadTensors => new()
    {
        { "missing", "tensor 'base_model.model.model.layers.1.mlp.up_proj.lora_A.weight' is missing" },
        { "shape", "tensor 'base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight' has shape [16, 3] but the model and adapter_config.json (r=4) imply [16, 4]" },
        { "extra", "do not account for: base_model.model.lm_head.lora_A.weight" },
    };

    [Theory]
    [MemberData(nameof(BadTensors))]
    public void Load_BadTensors_NamesTheKey_AndLeavesTheBaseModel(string fault, string message)
    {
        using var scope = NewDisposeScope();
        SaveAdapter();
        RewriteTensors(t => fault switch
        {
            "missing" => t.Where(kv => kv.Key != "base_model.model.model.layers.1.mlp.up_proj.lora_A.weight").ToList(),
            "shape" => t.Select(kv => kv.Key.EndsWith("layers.0.self_attn.v_proj.lora_B.weight")
                ? new KeyValuePair<string, Tensor>(kv.Key, zeros(16, 3)) : kv).ToList(),
            _ => t.Append(new("base_model.model.lm_head.lora_A.weight", zeros(4, 32))).ToList(),
        });
        using var m = TinyModels.Random(seed: 2);
        var before = Logits(m);
        var e = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.Load(m, _dir));
        Assert.StartsWith(WeightsPath + ": ", e.Message);
        Assert.Contains(message, e.Message);
        Assert.Null(m.Lora);
        Assert.Empty(m.LoraParameters());
        Assert.All(m.parameters(), p => Assert.True(p.requires_grad));
        Assert.True(Logits(m).eq(before).all().item<bool>());
    }
}
