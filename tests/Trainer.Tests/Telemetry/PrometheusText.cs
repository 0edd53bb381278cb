using System.Globalization;
using System.Text.RegularExpressions;

namespace RlTrainer.Trainer.Tests.Telemetry;

/// The samples of a Prometheus text exposition ("name{label="v",...} value" lines; comments skipped).
internal sealed partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public IReadOnlyList<Sample> Samples { get; }

    public PrometheusText(string text)
    {
        Samples = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(ParseLine).ToList();
    }

    /// The value of the one sample of <paramref name="name"/>; null when there is none yet.
    public double? Value(string name) => Samples.SingleOrDefault(s => s.Name == name)?.Value;

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex LineRegex();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)",?""")]
    private static partial Regex LabelRegex();

    private static Sample ParseLine(string line)
    {
        var m = LineRegex().Match(line);
        if (!m.Success) throw new FormatException($"not a Prometheus sample line: {line}");
        var labels = LabelRegex().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value);
        var value = m.Groups["value"].Value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(m.Groups["name"].Value, labels, value);
    }
}
