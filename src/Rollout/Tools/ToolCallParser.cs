using System.Text.Encodings.Web;
using System.Text.Json;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rollout.Tools;

/// <summary>
/// Reads the Hermes / Qwen tool calls of one assistant turn: every <c>&lt;tool_call&gt;</c> … <c>&lt;/tool_call&gt;</c>
/// block, whose body is <c>{"name": "...", "arguments": {...}}</c> (docs/algorithms.md#tool-calls). Text around the
/// blocks is ignored. A block that is not closed, not JSON, or lacks a string "name" or an object "arguments" is kept as
/// a malformed call, so that the model is told what was wrong instead of being ignored. "arguments" may also be a JSON
/// string holding the object (the OpenAI wire form), as vLLM's Hermes parser accepts.
/// </summary>
public static class ToolCallParser
{
    public const string Open = ModelAuthoredText.CallOpen;   // one spelling, shared with the answer extractor
    public const string Close = ModelAuthoredText.CallClose;

    // The arguments as compact JSON for logs and rewards, "+" and "<" kept as written (the default escapes them).
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when the turn holds at least one call block (well-formed or not): it asks for tools.</summary>
    public static bool HasCall(string turn) => turn.Contains(Open, StringComparison.Ordinal);

    /// <summary>The call blocks of <paramref name="turn"/>, in order; empty when there are none.</summary>
    public static IReadOnlyList<ParsedToolCall> Parse(string turn)
    {
        return ModelAuthoredText.CallBlocks(turn).Select(b => b.Closed
            ? ParseBody(turn[b.BodyStart..b.BodyEnd].Trim())
            : Malformed(turn[b.BodyStart..b.BodyEnd], $"the {Open} block is not closed by {Close}")).ToList();
    }

    private static ParsedToolCall ParseBody(string body)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body); }
        catch (JsonException e) { return Malformed(body, $"the call is not valid JSON ({FirstLine(e.Message)})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Malformed(body, "the call must be a JSON object with \"name\" and \"arguments\"");
            if (!root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
                return Malformed(body, "the call has no string \"name\"");
            var tool = name.GetString()!;
            if (!root.TryGetProperty("arguments", out var args)) return Malformed(body, "the call has no \"arguments\" object", tool);
            if (args.ValueKind == JsonValueKind.String && TryParseObject(args.GetString()!, out var inner)) args = inner;
            if (args.ValueKind != JsonValueKind.Object)
                return Malformed(body, $"\"arguments\" must be a JSON object, got {args.ValueKind.ToString().ToLowerInvariant()}", tool);
            var clone = args.Clone();
            return new ParsedToolCall(tool, clone, JsonSerializer.Serialize(clone, Compact), null);
        }
    }

    private static bool TryParseObject(string text, out JsonElement value)
    {
        value = default;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            value = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException) { return false; }
    }

    private static ParsedToolCall Malformed(string body, string error, string name = "") => new(name, null, body.Trim(), error);

    // System.Text.Json messages carry a "Path: $ | LineNumber: ..." tail; the model needs only the first sentence.
    private static string FirstLine(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
