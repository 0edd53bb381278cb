using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Tests.Data;
using RlTrainer.Trainer.Tests.Training;
using static RlTrainer.Trainer.Tests.Cli.InProcessCli;

namespace RlTrainer.Trainer.Tests.Cli;

/// <summary>
/// Issue 19.1: each bad input ends in one message naming the file, key or column and the value; exit code 2 for
/// usage and configuration, 1 for runtime failures; no stack frame. Runs in process through CommandLineApp.
/// </summary>
[Collection("serial")] // the train cases build a host and a model: keep them off the other runs' cores
public sealed class ErrorMessagesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("errors-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int, string, string) Train(TinyRun run, params string[] overrides) =>
        Run(new[] { "train", "--config", run.ConfigPath }.Concat(overrides).ToArray());

    [Fact]
    public void InvalidJson_NamesFileLineAndColumn()
    {
        var config = Write("bad.json", "{\n  \"Rollout\": { \"GroupSize\": 4 }\n  \"Data\": {}\n}\n");
        AssertError(Run("train", "--config", config), 2,
            $"error: {config}: invalid JSON at line 3, column 3: '\"' is invalid after a value.");
    }

    [Fact]
    public void MisspeltKey_NamesTheClosestKnownKey()
    {
        using var run = new TinyRun();
        var json = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!;
        json["Rollout"]!["Temprature"] = 0.5;
        File.WriteAllText(run.ConfigPath, json.ToJsonString());
        var result = Train(run);
        AssertError(result, 2, $"error: {run.ConfigPath}: Rollout:Temprature: unknown key; did you mean Rollout:Temperature?");
        Assert.Single(result.Item3.Trim().Split('\n'));
    }

    [Fact]
    public void MisspeltSection_IsAnError_NotSilentDefaults()
    {
        using var run = new TinyRun();
        AssertError(Train(run, "--Rolout:GroupSize=4"), 2, "error: command line: Rolout: unknown section; did you mean Rollout?");
    }

    [Fact]
    public void WrongType_NamesKeyValueAndExpectedType()
    {
        using var run = new TinyRun();
        AssertError(Train(run, "--Rollout:GroupSize=four"), 2, "error: command line: Rollout:GroupSize = 'four': expected a whole number.");
    }

    [Fact]
    public void UnknownEnumName_ListsTheNames_AndTheClosest()
    {
        using var run = new TinyRun();
        AssertError(Train(run, "--Algorithm:Kind=Gpro"), 2,
            "error: command line: Algorithm:Kind = 'Gpro': expected one of Ess, Grpo; did you mean Grpo?");
    }

    [Fact]
    public void OutOfRangeValue_FromTheEnvironment_NamesTheVariable()
    {
        using var run = new TinyRun();
        Environment.SetEnvironmentVariable("RLTRAINER__Rollout__GroupSize", "1");
        try
        {
            AssertError(Train(run), 2,
                "error: environment RLTRAINER__Rollout__GroupSize: Rollout:GroupSize = 1: The field GroupSize must be between 2 and 1024.");
        }
        finally { Environment.SetEnvironmentVariable("RLTRAINER__Rollout__GroupSize", null); }
    }

    [Fact]
    public void MissingConfigFile_NamesTheOptionAndPath()
    {
        var missing = Path.Combine(_dir, "nope.json");
        AssertError(Run("train", "--config", missing), 2, $"error: --config {missing}: file not found.");
    }

    [Fact]
    public void UnknownTrainOption_IsAUsageError_WithTheClosestOption()
    {
        using var run = new TinyRun();
        AssertError(Train(run, "--resum", "latest"), 2, "error: train: unknown option '--resum'; did you mean --resume?");
    }

    [Fact]
    public void UnknownCommandLineOption_IsAUsageError()
    {
        var (code, _, err) = Run("eval", "--modle", "x", "--data", "y");
        Assert.Equal(2, code);
        Assert.Contains("Unrecognized command or argument '--modle'.", err);
        Assert.Contains("'rltrainer eval --help' lists the options.", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void MissingDataFile_Train_NamesKeyAndFile_BeforeLoadingTheModel()
    {
        using var run = new TinyRun();
        var missing = Path.Combine(_dir, "nope.parquet");
        AssertError(Train(run, $"--Data:Files:0={missing}"), 2, $"error: command line: Data:Files:0: file '{missing}': no such file");
    }

    [Fact]
    public void MissingDataFile_Eval_NamesTheFile()
    {
        var missing = Path.Combine(_dir, "nope.parquet");
        AssertError(Run("eval", "--model", RepoPaths.Of("data", "models", "tiny-math"), "--data", missing), 2,
            $"error: file '{missing}': no such file");
    }

    [Fact]
    public void FileThatIsNotParquet_Eval_NamesTheFile()
    {
        var text = Write("notes.parquet", "just some text, not a Parquet file\n");
        AssertError(Run("eval", "--model", RepoPaths.Of("data", "models", "tiny-math"), "--data", text), 2,
            $"error: file '{text}': not a readable Parquet file (not a parquet file");
    }

    [Fact]
    public void MissingColumn_NamesFileAndColumn()
    {
        var file = ParquetFixtures.File("gsm8k.parquet");
        AssertError(Run("data", "preview", "--data", file, "--shape", "verl"), 2,
            $"error: file '{file}', column 'prompt': missing column (the file has [question, answer])");
    }

    [Fact]
    public void EmptyDataSet_Train_NamesTheFile()
    {
        using var run = new TinyRun();
        var empty = ParquetFixtures.File("empty.parquet");
        AssertError(Train(run, $"--Data:Files:0={empty}"), 2, $"error: file '{empty}': the file has no rows");
    }

    [Fact]
    public void ModelFolderWithoutConfigJson_Train_NamesKeyAndFolder()
    {
        using var run = new TinyRun();
        File.Delete(Path.Combine(run.ModelDir, "config.json"));
        AssertError(Train(run), 2,
            $"error: {run.ConfigPath}: Model:Path = '{run.ModelDir}': no config.json in the folder (a Hugging Face model folder needs one).");
    }

    [Fact]
    public void ModelFolderWithoutWeights_Eval_NamesTheFolder()
    {
        using var run = new TinyRun();
        File.Delete(Path.Combine(run.ModelDir, HfModelFolder.SingleFile));
        AssertError(Run("eval", "--model", run.ModelDir, "--data", ParquetFixtures.File("gsm8k.parquet")), 2,
            $"error: {run.ModelDir}: neither model.safetensors nor model.safetensors.index.json exists.");
    }

    [Fact]
    public void TokenizerWithMoreIdsThanTheModel_Eval_NamesBothNumbers()
    {
        using var run = new TinyRun();
        var configPath = Path.Combine(run.ModelDir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["vocab_size"] = 100; // the tiny-math tokenizer defines more ids than that
        File.WriteAllText(configPath, config.ToJsonString());
        var (code, _, err) = Run("eval", "--model", run.ModelDir, "--data", ParquetFixtures.File("gsm8k.parquet"));
        Assert.Equal(2, code);
        Assert.Matches(@"^error: .+: the tokenizer defines \d+ ids but the model's config.json has vocab_size 100: the tokenizer does not fit this model\.\r?\n$", err);
    }

    [Fact]
    public void PruningWithARemoteEngine_FailsAtStart_BeforeAnyModelIsLoaded()
    {
        // No model folder at all: the conflict is still reported (with the folder), so it cannot wait for a loaded model.
        using var run = new TinyRun();
        var missing = Path.Combine(_dir, "no-model");
        AssertError(Train(run, "--Pruning:Enabled=true", "--RolloutEngine:Kind=Remote", "--RolloutEngine:Urls:0=http://127.0.0.1:9",
                $"--Model:Path={missing}"), 2,
            $"error: command line: Model:Path = '{missing}': no such folder.",
            "error: command line: Pruning:Enabled=true needs the built-in sampler (its hooks run inside the decode loop), but RolloutEngine:Kind is Remote: turn one of them off.");
    }

    [Fact]
    public void AdapterSyncWithoutLora_FailsAtStart_WithExitCode2()
    {
        using var run = new TinyRun();
        AssertError(Train(run, "--RolloutEngine:LoraSync=Adapter", "--RolloutEngine:Kind=Remote", "--RolloutEngine:Urls:0=http://127.0.0.1:9"), 2,
            "error: command line: " + RlTrainer.Trainer.Tests.Hosting.LoraSyncValidatorTests.WithoutLora);
    }

    [Fact]
    public void RewardMixNamingAnUnknownReward_NamesFileKeyAndValue()
    {
        using var run = new TinyRun();
        var rewards = Write("rewards.json", """{ "components": [ { "name": "acc", "type": "math_acuracy" } ] }""");
        AssertError(Train(run, $"--Rewards:File={rewards}"), 2,
            $"error: command line: Rewards:File = '{rewards}': {rewards}: $.components[0].type: unknown reward type \"math_acuracy\"; known types: ");
    }

    [Fact]
    public void Verbose_AddsTheStackTrace()
    {
        var missing = Path.Combine(_dir, "nope.parquet");
        var (code, _, err) = Run("eval", "--model", RepoPaths.Of("data", "models", "tiny-math"), "--data", missing, "--verbose");
        Assert.Equal(2, code);
        Assert.StartsWith($"error: file '{missing}': no such file", err);
        Assert.Contains("   at RlTrainer.Trainer.Data.DataFiles", err);
    }
}
