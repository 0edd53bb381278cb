using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Scoring;

/// <summary>
/// The engine of <c>rltrainer score</c>: JSONL records <c>{"completion", "ground_truth"}</c> (optional
/// <c>completion_tokens</c>, <c>max_completion_tokens</c>, <c>data_source</c>, <c>prompt</c>) in, one line
/// <c>{"correct", "reward", "rewards": {name: value|null}, "extracted"}</c> out per record, in input order. A bad
/// line is reported on the error writer with its line number and skipped; the others are still scored.
/// Blank lines are not records. For <see cref="RewardAggregation.NormalizeThenSum"/> consecutive records form
/// groups of <c>groupSize</c> (0: the whole input is one group); a bad line leaves its group one member short.
/// </summary>
public sealed class JsonlRewardScorer
{
    private readonly RewardMix _mix;
    private readonly int _groupSize;
    private readonly MathAnswerVerifier _verifier;

    public JsonlRewardScorer(RewardMix mix, int groupSize = 0)
    {
        if (groupSize < 0) throw new ArgumentOutOfRangeException(nameof(groupSize));
        _mix = mix;
        _groupSize = groupSize;
        // "correct" and "extracted" use the mix's own accuracy settings when it has a math_accuracy component.
        _verifier = mix.Components.Select(c => c.Function).OfType<MathAccuracyReward>().FirstOrDefault()?.Verifier
                    ?? new MathAnswerVerifier();
    }

    /// <summary>Scores every record; returns the number of bad lines.</summary>
    public int Run(TextReader input, TextWriter output, TextWriter errors)
    {
        var badLines = 0;
        var lineNumber = 0;
        var recordIndex = 0;
        var group = new List<RewardInput>();
        var groupId = -1;
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var id = _groupSize == 0 ? 0 : recordIndex / _groupSize;
            recordIndex++;
            if (id != groupId) { Flush(group, output); groupId = id; }
            if (!TryReadRecord(line, out var record, out var error))
            {
                errors.WriteLine($"line {lineNumber}: {error}");
                badLines++;
                continue;
            }
            group.Add(record);
            if (_mix.Aggregation == RewardAggregation.SumThenNormalize) Flush(group, output);
        }
        Flush(group, output);
        return badLines;
    }

    private void Flush(List<RewardInput> group, TextWriter output)
    {
        if (group.Count == 0) return;
        var scores = _mix.Score(group, group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var verification = _verifier.Verify(group[i].Completion, group[i].GroundTruth);
            output.WriteLine(FormatLine(verification, scores, i));
        }
        output.Flush();
        group.Clear();
    }

    // Readable output ("x^2+1", not "x^2\u002B1"); still valid JSON, and it is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string FormatLine(VerificationResult verification, RewardBatchScores scores, int i)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteBoolean("correct", verification.IsCorrect == true);
            WriteNullable(json, "reward", scores.Totals[i]);
            json.WriteStartObject("rewards");
            for (var k = 0; k < scores.ComponentNames.Count; k++) WriteNullable(json, scores.ComponentNames[k], scores.Components[i][k]);
            json.WriteEndObject();
            if (verification.ExtractedAnswer is null) json.WriteNull("extracted");
            else json.WriteString("extracted", verification.ExtractedAnswer);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static bool TryReadRecord(string line, out RewardInput record, out string error)
    {
        record = null!;
        error = "";
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { error = $"expected a JSON object, got {root.ValueKind}"; return false; }
            if (!root.TryGetProperty("completion", out var completion) || completion.ValueKind != JsonValueKind.String)
            {
                error = "\"completion\" must be a string";
                return false;
            }
            if (!root.TryGetProperty("ground_truth", out var gold) || gold.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                error = "\"ground_truth\" must be a string or a number";
                return false;
            }
            record = new RewardInput(completion.GetString()!, gold.ValueKind == JsonValueKind.Number ? gold.GetRawText() : gold.GetString())
            {
                CompletionTokens = ReadInt(root, "completion_tokens", ref error),
                MaxCompletionTokens = ReadInt(root, "max_completion_tokens", ref error),
                DataSource = ReadString(root, "data_source", ref error),
                Prompt = ReadString(root, "prompt", ref error),
            };
            return error.Length == 0;
        }
        catch (JsonException e)
        {
            error = $"invalid JSON: {e.Message}";
            return false;
        }
    }

    private static int? ReadInt(JsonElement root, string key, ref string error)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0) return n;
        if (error.Length == 0) error = $"\"{key}\" must be a non-negative integer, got {value.GetRawText()}";
        return null;
    }

    private static string? ReadString(JsonElement root, string key, ref string error)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (error.Length == 0) error = $"\"{key}\" must be a string, got {value.GetRawText()}";
        return null;
    }
}
