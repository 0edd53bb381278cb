using System.Text;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// Learns a byte-level BPE vocabulary from a text corpus, the way Hugging Face's BpeTrainer does for Qwen2-style
/// tokenizers: text is NFC-normalized and split with the Qwen2 pre-tokenizer regex, every piece starts as its UTF-8
/// bytes (the 256 byte symbols are ids 0-255, in byte order), and the most frequent adjacent pair is merged until the
/// vocabulary reaches the target size. The special tokens &lt;|endoftext|&gt;, &lt;|im_start|&gt;, &lt;|im_end|&gt;
/// take the last ids. Used to make the tokenizer of the project's own tiny model.
/// </summary>
/// <remarks>
/// Ties between pairs of equal frequency go to the pair whose (left, right) token strings sort first (ordinal), so a
/// corpus always gives the same merges. Special-token strings in the corpus are cut out and never merged into.
/// </remarks>
public sealed class ByteLevelBpeTrainer
{
    /// <summary>The special tokens every trained tokenizer gets, in id order after the learned tokens.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    private readonly int _vocabSize;
    private readonly int _minFrequency;

    /// <param name="vocabSize">Total ids wanted, bytes and special tokens included (at least 259).</param>
    /// <param name="minFrequency">A pair seen fewer times than this is never merged (training may stop early).</param>
    public ByteLevelBpeTrainer(int vocabSize, int minFrequency = 2)
    {
        if (vocabSize < 256 + SpecialTokens.Count)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"vocabSize must be at least {256 + SpecialTokens.Count} (256 bytes + special tokens).");
        if (minFrequency < 1) throw new ArgumentOutOfRangeException(nameof(minFrequency), minFrequency, "minFrequency must be at least 1.");
        _vocabSize = vocabSize;
        _minFrequency = minFrequency;
    }

    /// <summary>Trains on <paramref name="corpus"/> (any number of documents).</summary>
    public ByteLevelBpeModel Train(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var (words, counts) = CountWords(corpus);
        var tokens = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ByteToChar[b].ToString()).ToList();
        var idByToken = tokens.Select((t, id) => (t, id)).ToDictionary(x => x.t, x => x.id, StringComparer.Ordinal);
        var merges = new List<(string Left, string Right)>();
        var pairs = new PairStatistics(words, counts, tokens);

        while (tokens.Count + SpecialTokens.Count < _vocabSize && pairs.TryTakeBest(_minFrequency, out var best))
        {
            var merged = tokens[best.Left] + tokens[best.Right];
            if (!idByToken.TryGetValue(merged, out var newId))
            {
                newId = tokens.Count;
                tokens.Add(merged);
                idByToken[merged] = newId;
            }
            merges.Add((tokens[best.Left], tokens[best.Right]));
            pairs.Merge(best, newId);
        }
        return new ByteLevelBpeModel(tokens, merges, SpecialTokens);
    }

    // Distinct pre-tokenized pieces as byte sequences, with how often each occurs.
    private static (List<int[]> Words, List<long> Counts) CountWords(IEnumerable<string> corpus)
    {
        var specials = new AddedTokenMatcher(SpecialTokens
            .Select((t, i) => new AddedToken(i, t, true, false, false, false, false)).ToList());
        var splitter = new PreTokenizerSplitter([PreTokenizerSplitter.Qwen2Pattern], addPrefixSpace: false);
        var indexByWord = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<int[]>();
        var counts = new List<long>();
        var segments = new List<(int Start, int Length, int TokenId)>();
        var pieces = new List<(int Start, int Length)>();
        foreach (var document in corpus)
        {
            if (string.IsNullOrEmpty(document)) continue;
            specials.Segment(document, segments);
            foreach (var (start, length, tokenId) in segments)
            {
                if (tokenId >= 0) continue;
                var text = document.Substring(start, length).Normalize(NormalizationForm.FormC);
                splitter.Split(text, pieces);
                foreach (var (pieceStart, pieceLength) in pieces)
                {
                    var piece = text.Substring(pieceStart, pieceLength);
                    if (!indexByWord.TryGetValue(piece, out var index))
                    {
                        index = words.Count;
                        indexByWord[piece] = index;
                        words.Add(Encoding.UTF8.GetBytes(piece).Select(b => (int)b).ToArray());
                        counts.Add(0);
                    }
                    counts[index]++;
                }
            }
        }
        return (words, counts);
    }

    /// <summary>
    /// Weighted counts of adjacent symbol pairs over all words, which words hold each pair, and a max-heap of pairs.
    /// Heap entries go stale when a merge lowers a count; a stale entry is re-queued with its true count when it
    /// surfaces, and every raised count is queued anew, so the top entry that is not stale is the true best pair.
    /// </summary>
    private sealed class PairStatistics
    {
        private readonly List<int[]> _words;
        private readonly List<long> _wordCounts;
        private readonly List<string> _tokens;
        private readonly Dictionary<(int Left, int Right), long> _counts = new();
        private readonly Dictionary<(int Left, int Right), HashSet<int>> _wordsWithPair = new();
        private readonly PriorityQueue<(int Left, int Right), (long Count, string Left, string Right)> _heap;

        public PairStatistics(List<int[]> words, List<long> wordCounts, List<string> tokens)
        {
            _words = words;
            _wordCounts = wordCounts;
            _tokens = tokens;
            _heap = new PriorityQueue<(int, int), (long, string, string)>(Comparer<(long Count, string Left, string Right)>.Create(
                static (a, b) =>
                {
                    var byCount = b.Count.CompareTo(a.Count); // higher count first
                    if (byCount != 0) return byCount;
                    var byLeft = string.CompareOrdinal(a.Left, b.Left);
                    return byLeft != 0 ? byLeft : string.CompareOrdinal(a.Right, b.Right);
                }));
            for (var w = 0; w < words.Count; w++)
            {
                var word = words[w];
                for (var i = 0; i + 1 < word.Length; i++) Add((word[i], word[i + 1]), wordCounts[w], w);
            }
            foreach (var (pair, count) in _counts) Enqueue(pair, count);
        }

        public bool TryTakeBest(int minFrequency, out (int Left, int Right) best)
        {
            while (_heap.TryDequeue(out best, out var queued))
            {
                var count = _counts.GetValueOrDefault(best);
                if (count != queued.Count)
                {
                    if (count > 0) Enqueue(best, count);
                    continue;
                }
                return count >= minFrequency;
            }
            return false;
        }

        /// <summary>Replaces every occurrence of <paramref name="pair"/> by <paramref name="newId"/> and updates counts.</summary>
        public void Merge((int Left, int Right) pair, int newId)
        {
            if (!_wordsWithPair.TryGetValue(pair, out var holders)) return;
            var raised = new HashSet<(int, int)>();
            foreach (var w in holders.ToArray())
            {
                var before = _words[w];
                var after = MergeWord(before, pair, newId);
                if (after.Length == before.Length) continue; // stale holder: pair left this word in an earlier merge
                var weight = _wordCounts[w];
                for (var i = 0; i + 1 < before.Length; i++) Add((before[i], before[i + 1]), -weight, w);
                for (var i = 0; i + 1 < after.Length; i++)
                {
                    var p = (after[i], after[i + 1]);
                    Add(p, weight, w);
                    raised.Add(p);
                }
                _words[w] = after;
            }
            _counts.Remove(pair);
            _wordsWithPair.Remove(pair);
            foreach (var p in raised)
            {
                if (_counts.TryGetValue(p, out var count) && count > 0) Enqueue(p, count);
            }
        }

        private static int[] MergeWord(int[] word, (int Left, int Right) pair, int newId)
        {
            var result = new List<int>(word.Length);
            for (var i = 0; i < word.Length; i++)
            {
                if (i + 1 < word.Length && word[i] == pair.Left && word[i + 1] == pair.Right)
                {
                    result.Add(newId);
                    i++;
                }
                else
                {
                    result.Add(word[i]);
                }
            }
            return result.ToArray();
        }

        private void Add((int, int) pair, long delta, int word)
        {
            var count = _counts.GetValueOrDefault(pair) + delta;
            if (count == 0) _counts.Remove(pair);
            else _counts[pair] = count;
            if (delta > 0)
            {
                if (!_wordsWithPair.TryGetValue(pair, out var set)) _wordsWithPair[pair] = set = new HashSet<int>();
                set.Add(word);
            }
        }

        private void Enqueue((int Left, int Right) pair, long count) =>
            _heap.Enqueue(pair, (count, _tokens[pair.Left], _tokens[pair.Right]));
    }
}
