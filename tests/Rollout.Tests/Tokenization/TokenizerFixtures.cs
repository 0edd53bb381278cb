using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Rollout.Tests.Tokenization;

/// <summary>
/// The committed tokenizer fixtures (tests/Rollout.Tests/Fixtures/tokenizers, see its README.md): reference ids and
/// chat renderings produced by transformers.js, and tokenizers loaded once per test run (the real ones are 9-11 MB).
/// </summary>
internal static class TokenizerFixtures
{
    private static readonly ConcurrentDictionary<string, Lazy<HfTokenizer>> Loaded = new();

    public static string Root { get; } = FindRoot();

    public static string Dir(string name) => Path.Combine(Root, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Rollout.Tests", "Fixtures", "tokenizers");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/Rollout.Tests/Fixtures/tokenizers not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The fixture's tokenizer; a gzipped tokenizer.json is unpacked into a temporary model folder first.</summary>
    public static HfTokenizer Tokenizer(string name) =>
        Loaded.GetOrAdd(name, n => new Lazy<HfTokenizer>(() => HfTokenizer.Load(ModelDir(n)))).Value;

    public static string ModelDir(string name)
    {
        var source = Dir(name);
        var gz = Path.Combine(source, "tokenizer.json.gz");
        if (!File.Exists(gz)) return source;
        var target = Path.Combine(Path.GetTempPath(), "rltrainer-tokenizer-fixtures", name);
        Directory.CreateDirectory(target);
        var json = Path.Combine(target, "tokenizer.json");
        if (!File.Exists(json) || File.GetLastWriteTimeUtc(json) < File.GetLastWriteTimeUtc(gz))
        {
            var partial = json + "." + Environment.ProcessId + ".tmp";
            using (var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress))
            using (var output = File.Create(partial))
                input.CopyTo(output);
            File.Move(partial, json, overwrite: true);
        }
        File.Copy(Path.Combine(source, "tokenizer_config.json"), Path.Combine(target, "tokenizer_config.json"), overwrite: true);
        return target;
    }

    public static IReadOnlyList<(string Text, int[] Ids)> ExpectedIds(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir(name), "expected-ids.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))
            .ToList();
    }

    public sealed record Conversation(string Name, bool AddGenerationPrompt, IReadOnlyList<ChatMessage> Messages);

    public static IReadOnlyList<Conversation> Conversations()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "conversations.json")));
        return doc.RootElement.EnumerateArray().Select(c => new Conversation(
            c.GetProperty("name").GetString()!,
            c.GetProperty("add_generation_prompt").GetBoolean(),
            c.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))
                .ToList())).ToList();
    }

    /// <summary>Reference renderings by conversation name.</summary>
    public static IReadOnlyDictionary<string, string> ExpectedChat(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir(name), "expected-chat.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("text").GetString()!);
    }

    public static IReadOnlyList<string> Texts()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "texts.json")));
        return doc.RootElement.EnumerateArray().Select(t => t.GetString()!).ToList();
    }
}
