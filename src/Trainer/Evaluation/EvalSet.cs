using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>
/// A named evaluation set evaluated during training besides the main held-out set (Eval:Sets), and the metric keys
/// of a set's report: <c>eval/&lt;set&gt;/accuracy</c>, <c>/format_rate</c>, <c>/problems</c>, and per data source
/// <c>eval/&lt;set&gt;/&lt;source&gt;/accuracy</c>. The main set is also logged under the name "held-out". With tools,
/// also <c>…/tools/calls_per_completion</c> and <c>…/tools/completions_with_calls</c>, overall and per source (<see cref="AddToolFigures"/>).
/// </summary>
public sealed partial record EvalSet(string Name, IReadOnlyList<RlExample> Examples)
{
    /// <summary>The name of the main held-out set in metric keys.</summary>
    public const string MainName = "held-out";

    /// <summary>Reads every set of <see cref="EvalOptions.Sets"/> (any shape the Data section reads).</summary>
    /// <param name="mainSources">Data sources of the main held-out set: their eval/&lt;source&gt;/accuracy keys are taken.</param>
    /// <exception cref="InvalidDataException">A name is not usable as a metric key or collides with another key.</exception>
    public static IReadOnlyList<EvalSet> LoadAll(EvalOptions options, IEnumerable<string> mainSources)
    {
        if (Problems(options, mainSources).FirstOrDefault() is { } problem) throw new InvalidDataException(problem);
        return options.Sets.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new EvalSet(kv.Key, new ParquetExampleReader(new DataOptions { Files = kv.Value }).ReadExamples().ToList()))
            .ToList();
    }

    /// <summary>One line per set whose name is no usable metric key or whose file list is empty, in name order.</summary>
    /// <param name="mainSources">Data sources of the main held-out set, whose keys are taken; none when only the
    /// options are known (at start, before the data is read).</param>
    public static IEnumerable<string> Problems(EvalOptions options, IEnumerable<string> mainSources)
    {
        var taken = new HashSet<string>(mainSources, StringComparer.Ordinal) { MainName };
        foreach (var (name, files) in options.Sets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!NamePattern().IsMatch(name))
                yield return $"{EvalOptions.Section}:Sets:{name}: a set name is letters, digits, '_', '-' or '.'.";
            else if (taken.Contains(name))
                yield return $"{EvalOptions.Section}:Sets:{name}: the name is taken by the main held-out set or one of its data sources; choose another.";
            else if (files.Count == 0 || files.Any(string.IsNullOrWhiteSpace))
                yield return $"{EvalOptions.Section}:Sets:{name} = [{string.Join(", ", files)}]: give at least one file or glob, and no empty entries.";
        }
    }

    /// <summary>Adds the set's figures to an eval metrics line.</summary>
    public static void AddTo(JsonObject line, string name, EvalReport report)
    {
        line[$"eval/{name}/accuracy"] = report.Overall.GreedyPass1;
        line[$"eval/{name}/format_rate"] = report.Overall.FormatRate;
        line[$"eval/{name}/problems"] = report.Overall.Problems;
        foreach (var (source, s) in report.BySource)
        {
            line[$"eval/{name}/{source}/accuracy"] = s.GreedyPass1;
            AddToolFigures(line, $"eval/{name}/{source}", s);
        }
        AddToolFigures(line, $"eval/{name}", report.Overall);
    }

    /// <summary>Adds <c>&lt;prefix&gt;/tools/calls_per_completion</c> (tool calls per greedy completion) and
    /// <c>&lt;prefix&gt;/tools/completions_with_calls</c> (the share of greedy completions with at least one call);
    /// nothing when the set was decoded without tools.</summary>
    public static void AddToolFigures(JsonObject line, string prefix, EvalScores scores)
    {
        if (scores.ToolCallsPerCompletion is { } calls) line[$"{prefix}/tools/calls_per_completion"] = calls;
        if (scores.CompletionsWithCalls is { } share) line[$"{prefix}/tools/completions_with_calls"] = share;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
