using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// JSON as the <c>tojson</c> filter of Hugging Face chat templates writes it: Python's <c>json.dumps(x,
/// ensure_ascii=False)</c>, i.e. separators <c>", "</c> and <c>": "</c>, keys in their given order, non-ASCII kept,
/// control characters escaped. Numbers keep their JSON spelling (Python would print 1e5 as 100000.0; tool schemas
/// hardly hold such numbers).
/// </summary>
public static class JinjaJson
{
    public static string Serialize(JsonElement value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var p in value.EnumerateObject())
                {
                    if (!first) text.Append(", ");
                    first = false;
                    WriteString(text, p.Name);
                    text.Append(": ");
                    Write(text, p.Value);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (i++ > 0) text.Append(", ");
                    Write(text, item);
                }
                text.Append(']');
                break;
            case JsonValueKind.String: WriteString(text, value.GetString()!); break;
            case JsonValueKind.True: text.Append("true"); break;
            case JsonValueKind.False: text.Append("false"); break;
            case JsonValueKind.Null: text.Append("null"); break;
            default: text.Append(value.GetRawText()); break;
        }
    }

    private static void WriteString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
