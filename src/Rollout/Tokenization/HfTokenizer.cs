using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (GPT-2, Qwen2/2.5/3, Llama-3 and our own tiny model) loaded from a model
/// directory, giving the same ids as the reference implementation for raw text, plus the model's special ids and
/// chat format.
/// </summary>
/// <remarks>
/// Encoding follows the reference pipeline: added tokens written in the text are cut out first (each becomes its
/// id), the rest is NFC-normalized when the file asks for it, split by the pre-tokenizer regex, and each piece is
/// BPE-merged by Microsoft.ML.Tokenizers. Pieces that are whole vocabulary entries skip merging when the model sets
/// ignore_merges (Llama-3), which the library has no option for. Decoding is the ByteLevel decoder: token bytes
/// concatenated, then UTF-8 (invalid sequences become U+FFFD); clean_up_tokenization_spaces is not applied, so
/// Decode(Encode(x)) is x (NFC-normalized when the file normalizes). Instances are immutable and thread-safe.
/// </remarks>
public sealed class HfTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabBySpan;
    private readonly Dictionary<string, int> _addedByContent;
    private readonly bool _ignoreMerges;
    private readonly bool _normalizeNfc;
    private readonly PreTokenizerSplitter _splitter;
    private readonly AddedTokenMatcher _addedTokens;
    private readonly byte[]?[] _tokenBytes;
    private readonly bool[] _isSpecial;
    private readonly ChatTemplate _chatTemplate;

    private HfTokenizer(TokenizerDefinition definition, PreTokenizerSplitter splitter, TokenizerConfigValues config,
                        GenerationConfigValues generation, string tokenizerPath, string configPath)
    {
        FilePath = tokenizerPath;
        _vocab = definition.Vocab;
        _addedByContent = definition.AddedTokens.GroupBy(t => t.Content).ToDictionary(g => g.Key, g => g.Last().Id, StringComparer.Ordinal);
        _vocabBySpan = _vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _ignoreMerges = definition.IgnoreMerges;
        _normalizeNfc = definition.NormalizeNfc;
        _splitter = splitter;
        _addedTokens = new AddedTokenMatcher(definition.AddedTokens);
        try
        {
            _bpe = BpeTokenizer.Create(new BpeOptions(definition.Vocab)
            {
                Merges = definition.Merges.Select(m => m.Left + " " + m.Right),
                ByteLevel = true,
            });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw TokenizerJsonReader.Bad(tokenizerPath, "model.merges", $"does not fit model.vocab ({e.Message})");
        }

        var maxId = Math.Max(_vocab.Count == 0 ? -1 : _vocab.Values.Max(),
                             definition.AddedTokens.Count == 0 ? -1 : definition.AddedTokens.Max(t => t.Id));
        VocabSize = maxId + 1;
        _tokenBytes = new byte[VocabSize][];
        _isSpecial = new bool[VocabSize];
        foreach (var (token, id) in _vocab) _tokenBytes[id] = ByteLevelAlphabet.Decode(token);
        foreach (var added in definition.AddedTokens)
        {
            _tokenBytes[added.Id] = Encoding.UTF8.GetBytes(added.Content);
            _isSpecial[added.Id] = added.Special;
        }

        BosToken = config.BosToken;
        var eosId = RequiredTokenId(config.EosToken, configPath, "eos_token");
        EosTokenIds = new SortedSet<int>(generation.EosTokenIds.Concat(eosId is null ? [] : [eosId.Value]));
        PadTokenId = RequiredTokenId(config.PadToken, configPath, "pad_token")
                     ?? generation.PadTokenId
                     ?? eosId
                     ?? (EosTokenIds.Count > 0 ? EosTokenIds.Min() : null);
        _chatTemplate = ChatTemplate.Parse(config.ChatTemplate, config.BosToken);
    }

    /// <summary>The tokenizer.json this tokenizer was read from (for messages).</summary>
    public string FilePath { get; }

    /// <summary>Number of ids: the largest id over the vocabulary and the added tokens, plus one.</summary>
    public int VocabSize { get; }

    /// <summary>
    /// Ids that end generation: tokenizer_config.json's eos_token together with every id of generation_config.json's
    /// eos_token_id (an int or a list); Qwen2.5-Instruct, for one, stops on both &lt;|im_end|&gt; and &lt;|endoftext|&gt;.
    /// </summary>
    public IReadOnlySet<int> EosTokenIds { get; }

    /// <summary>
    /// Padding id: tokenizer_config.json's pad_token, else generation_config.json's pad_token_id, else the eos_token
    /// (what transformers does for models without a pad token, e.g. Llama-3), else the smallest eos id; null when the
    /// files name none of these. Padding positions are masked, so reusing eos is harmless.
    /// </summary>
    public int? PadTokenId { get; }

    /// <summary>tokenizer_config.json's bos_token string (Llama-3's &lt;|begin_of_text|&gt;), or null.</summary>
    public string? BosToken { get; }

    /// <summary>The chat format family of tokenizer_config.json's chat_template.</summary>
    public ChatTemplateKind ChatTemplateKind => _chatTemplate.Kind;

    /// <summary>The model's chat template, for rendering with options (a fixed date, for one).</summary>
    public ChatTemplate ChatTemplate => _chatTemplate;

    /// <summary>
    /// Loads tokenizer.json and, when present, tokenizer_config.json and generation_config.json from
    /// <paramref name="modelDir"/>. Unsupported or malformed files throw <see cref="InvalidDataException"/> naming the
    /// file and the field.
    /// </summary>
    public static HfTokenizer Load(string modelDir)
    {
        if (!Directory.Exists(modelDir)) throw new DirectoryNotFoundException($"{modelDir}: tokenizer directory not found");
        var tokenizerPath = Path.Combine(modelDir, "tokenizer.json");
        var definition = TokenizerJsonReader.Read(tokenizerPath);
        PreTokenizerSplitter splitter;
        try
        {
            splitter = new PreTokenizerSplitter(definition.SplitPatterns, definition.AddPrefixSpace);
        }
        catch (RegexParseException e)
        {
            throw TokenizerJsonReader.Bad(tokenizerPath, "pre_tokenizer", $"has a regex .NET cannot compile ({e.Message})");
        }
        var configPath = Path.Combine(modelDir, "tokenizer_config.json");
        var config = TokenizerConfigReader.ReadTokenizerConfig(configPath);
        var generation = TokenizerConfigReader.ReadGenerationConfig(Path.Combine(modelDir, "generation_config.json"));
        return new HfTokenizer(definition, splitter, config, generation, tokenizerPath, configPath);
    }

    /// <summary>
    /// Ids of raw text, with no BOS/EOS added. Added tokens written in the text (&lt;|im_start|&gt;, &lt;|eot_id|&gt;,
    /// &lt;think&gt;, ...) become their single id, as the reference tokenizer does.
    /// </summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        var segments = new List<(int Start, int Length, int TokenId)>();
        var pieces = new List<(int Start, int Length)>();
        _addedTokens.Segment(text, segments);
        foreach (var (start, length, tokenId) in segments)
        {
            if (tokenId >= 0)
            {
                ids.Add(tokenId);
                continue;
            }
            var segment = text.Substring(start, length);
            if (_normalizeNfc && !segment.IsNormalized(NormalizationForm.FormC)) segment = segment.Normalize(NormalizationForm.FormC);
            if (_splitter.AddPrefixSpace && !segment.StartsWith(' ')) segment = " " + segment;
            _splitter.Split(segment, pieces);
            foreach (var (pieceStart, pieceLength) in pieces) EncodePiece(segment.AsSpan(pieceStart, pieceLength), ids);
        }
        return ids;
    }

    private void EncodePiece(ReadOnlySpan<char> piece, List<int> ids)
    {
        if (_ignoreMerges)
        {
            Span<byte> utf8 = piece.Length <= 256 ? stackalloc byte[piece.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(piece.Length)];
            var byteCount = Encoding.UTF8.GetBytes(piece, utf8);
            Span<char> symbols = byteCount <= 768 ? stackalloc char[byteCount] : new char[byteCount];
            for (var i = 0; i < byteCount; i++) symbols[i] = ByteLevelAlphabet.ByteToChar[utf8[i]];
            if (_vocabBySpan.TryGetValue(symbols, out var whole))
            {
                ids.Add(whole);
                return;
            }
        }
        ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
    }

    /// <summary>
    /// Text of <paramref name="ids"/>: the bytes of every token joined and read as UTF-8 (U+FFFD for invalid or cut
    /// sequences). <paramref name="skipSpecialTokens"/> drops added tokens marked special. An id the tokenizer does not
    /// define (a padded embedding row, negative, or past the end) decodes to nothing, as Hugging Face tokenizers do.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && IsSpecial(id)) continue;
            bytes.AddRange(TokenBytes(id));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>A decoder that turns ids into text one at a time (for stop strings while sampling).</summary>
    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);

    /// <summary>The id of an added token or vocabulary entry written as its string, or null.</summary>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_addedByContent.TryGetValue(token, out var added)) return added;
        return _vocab.TryGetValue(token, out var id) ? id : null;
    }

    /// <summary>True for an added token marked special (&lt;|im_end|&gt;, &lt;|eot_id|&gt;; not Qwen3's &lt;think&gt;).</summary>
    public bool IsSpecial(int id) => (uint)id < (uint)_isSpecial.Length && _isSpecial[id];

    /// <summary>
    /// The prompt text of <paramref name="messages"/> in the model's chat format, as the Hugging Face template
    /// renders it (apply_chat_template with tokenize=False); see <see cref="Tokenization.ChatTemplate"/> for what is
    /// reproduced. Throws <see cref="InvalidOperationException"/> when the template is not ChatML or Llama-3.
    /// </summary>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true,
        IReadOnlyList<System.Text.Json.JsonElement>? tools = null) =>
        _chatTemplate.Render(messages, addGenerationPrompt, tools: tools);

    /// The bytes of a token; none for an id the tokenizer does not define (Hugging Face's decode skips those too).
    internal byte[] TokenBytes(int id) =>
        (uint)id < (uint)_tokenBytes.Length && _tokenBytes[id] is { } bytes ? bytes : Array.Empty<byte>();

    /// <summary>True when <paramref name="id"/> is a vocabulary entry or an added token.</summary>
    public bool IsDefined(int id) => (uint)id < (uint)_tokenBytes.Length && _tokenBytes[id] is not null;

    // A special token tokenizer_config.json names must exist, or stopping and padding would silently break.
    private int? RequiredTokenId(string? token, string configPath, string field)
    {
        if (token is null) return null;
        return TokenToId(token)
               ?? throw TokenizerJsonReader.Bad(configPath, field, $"is '{token}', which is neither an added token nor in the vocabulary of tokenizer.json");
    }
}
