using System.Text.Encodings.Web;
using System.Text.Json;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// A trained byte-level BPE vocabulary (from <see cref="ByteLevelBpeTrainer"/>) that saves itself as the standard
/// Hugging Face files: tokenizer.json and tokenizer_config.json, loadable by <see cref="HfTokenizer"/>, transformers
/// and transformers.js alike.
/// </summary>
/// <param name="Tokens">Byte-level token strings; the index is the id.</param>
/// <param name="Merges">Merge rules in priority order.</param>
/// <param name="SpecialTokens">Added special tokens; they take the ids after <paramref name="Tokens"/>.</param>
public sealed record ByteLevelBpeModel(
    IReadOnlyList<string> Tokens, IReadOnlyList<(string Left, string Right)> Merges, IReadOnlyList<string> SpecialTokens)
{
    /// <summary>End-of-sequence token named in tokenizer_config.json (ends every assistant turn).</summary>
    public const string EosToken = "<|im_end|>";

    /// <summary>Padding token named in tokenizer_config.json.</summary>
    public const string PadToken = "<|endoftext|>";

    // ChatML as Qwen2 writes it, without Qwen2's default system prompt: a tiny model's context is short, and a
    // prompt nobody asked for would be trained into every example. Our own text, not copied from a model repo.
    private const string ChatMlTemplate =
        "{%- for message in messages %}" +
        "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}" +
        "{%- endfor %}" +
        "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Byte-level symbols such as 'Ġ' stay readable instead of becoming \u0120.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Total ids: learned tokens plus special tokens.</summary>
    public int VocabSize => Tokens.Count + SpecialTokens.Count;

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">Target folder; existing files of those names are replaced.</param>
    /// <param name="modelMaxLength">Context length recorded as model_max_length.</param>
    public void Save(string directory, int modelMaxLength)
    {
        if (!SpecialTokens.Contains(EosToken) || !SpecialTokens.Contains(PadToken))
            throw new InvalidOperationException($"The special tokens must include {EosToken} and {PadToken}.");
        Directory.CreateDirectory(directory);
        WriteFile(Path.Combine(directory, "tokenizer.json"), WriteTokenizerJson);
        WriteFile(Path.Combine(directory, "tokenizer_config.json"), w => WriteTokenizerConfig(w, modelMaxLength));
    }

    private static void WriteFile(string path, Action<Utf8JsonWriter> write)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        write(writer);
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteByteLevel(Utf8JsonWriter w, string? name)
    {
        if (name is null) w.WriteStartObject();
        else w.WriteStartObject(name);
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", false);
        w.WriteBoolean("trim_offsets", false);
        w.WriteBoolean("use_regex", false);
        w.WriteEndObject();
    }

    private void WriteTokenizerJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        for (var i = 0; i < SpecialTokens.Count; i++)
        {
            w.WriteStartObject();
            w.WriteNumber("id", Tokens.Count + i);
            WriteAddedTokenFlags(w, SpecialTokens[i]);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartObject("normalizer");
        w.WriteString("type", "NFC");
        w.WriteEndObject();

        w.WriteStartObject("pre_tokenizer");
        w.WriteString("type", "Sequence");
        w.WriteStartArray("pretokenizers");
        w.WriteStartObject();
        w.WriteString("type", "Split");
        w.WriteStartObject("pattern");
        w.WriteString("Regex", PreTokenizerSplitter.Qwen2Pattern);
        w.WriteEndObject();
        w.WriteString("behavior", "Isolated");
        w.WriteBoolean("invert", false);
        w.WriteEndObject();
        WriteByteLevel(w, null);
        w.WriteEndArray();
        w.WriteEndObject();

        WriteByteLevel(w, "post_processor");
        WriteByteLevel(w, "decoder");
        WriteModel(w);
        w.WriteEndObject();
    }

    private void WriteModel(Utf8JsonWriter w)
    {
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteString("continuing_subword_prefix", "");
        w.WriteString("end_of_word_suffix", "");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteBoolean("ignore_merges", false);
        w.WriteStartObject("vocab");
        for (var id = 0; id < Tokens.Count; id++) w.WriteNumber(Tokens[id], id);
        w.WriteEndObject();
        w.WriteStartArray("merges");
        foreach (var (left, right) in Merges)
        {
            w.WriteStartArray();
            w.WriteStringValue(left);
            w.WriteStringValue(right);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAddedTokenFlags(Utf8JsonWriter w, string content)
    {
        w.WriteString("content", content);
        w.WriteBoolean("single_word", false);
        w.WriteBoolean("lstrip", false);
        w.WriteBoolean("rstrip", false);
        w.WriteBoolean("normalized", false);
        w.WriteBoolean("special", true);
    }

    private void WriteTokenizerConfig(Utf8JsonWriter w, int modelMaxLength)
    {
        w.WriteStartObject();
        w.WriteBoolean("add_bos_token", false);
        w.WriteBoolean("add_prefix_space", false);
        w.WriteStartObject("added_tokens_decoder");
        for (var i = 0; i < SpecialTokens.Count; i++)
        {
            w.WriteStartObject((Tokens.Count + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteAddedTokenFlags(w, SpecialTokens[i]);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartArray("additional_special_tokens");
        foreach (var token in SpecialTokens.Where(t => t != PadToken)) w.WriteStringValue(token);
        w.WriteEndArray();
        w.WriteNull("bos_token");
        w.WriteString("chat_template", ChatMlTemplate);
        w.WriteBoolean("clean_up_tokenization_spaces", false);
        w.WriteString("eos_token", EosToken);
        w.WriteString("errors", "replace");
        w.WriteNumber("model_max_length", modelMaxLength);
        w.WriteString("pad_token", PadToken);
        w.WriteBoolean("split_special_tokens", false);
        w.WriteString("tokenizer_class", "Qwen2Tokenizer");
        w.WriteNull("unk_token");
        w.WriteEndObject();
    }
}
