using System.Text.Json;
using System.Text.Json.Serialization;
using RlTrainer.Rewards.Verifiers;
using Xunit.Abstractions;

namespace RlTrainer.Rewards.Tests.Verifiers;

/// <summary>
/// Agreement with Math-Verify's own published verdicts. Fixtures/math-verify-cases.jsonl holds every
/// (gold, prediction, verdict) case of Math-Verify's tests folder, written by tools/math-verify-cases/convert.py from
/// the test files at the commit each line names. Every case counts; none is skipped here.
/// </summary>
public class MathVerifyAgreementTests(ITestOutputHelper output)
{
    private const double RequiredAgreement = 0.98;

    private sealed record MathVerifyCase(
        [property: JsonPropertyName("source_file")] string SourceFile,
        [property: JsonPropertyName("test_name")] string TestName,
        [property: JsonPropertyName("case_index")] int CaseIndex,
        [property: JsonPropertyName("gold")] string Gold,
        [property: JsonPropertyName("prediction")] string Prediction,
        [property: JsonPropertyName("expected")] bool Expected,
        [property: JsonPropertyName("match_types")] string[] MatchTypes,
        [property: JsonPropertyName("precision")] int Precision,
        [property: JsonPropertyName("strict")] bool Strict,
        [property: JsonPropertyName("allow_set_relation_comp")] bool AllowSetRelationComparison);

    private static IReadOnlyList<MathVerifyCase> LoadCases()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "math-verify-cases.jsonl");
        return File.ReadLines(path).Where(l => l.Length > 0)
                   .Select(l => JsonSerializer.Deserialize<MathVerifyCase>(l)!).ToList();
    }

    /// <summary>
    /// The verdict our verifier gives a case under the case's own settings: precision is float_rounding, a case
    /// graded without the "expr" target takes no plain-text number, allow_set_relation_comp maps to AllowSetRelation.
    /// A gold we cannot grade (null) counts as "wrong", which is what a skipped sample earns.
    /// </summary>
    private static bool OurVerdict(MathVerifyCase c)
    {
        var verifier = new MathAnswerVerifier(new MathVerifierOptions
        {
            DecimalPlaces = c.Precision,
            PlainNumberFallback = c.MatchTypes.Contains("expr"),
            AllowSetRelation = c.AllowSetRelationComparison,
            TimeoutMs = 5000,
        });
        return verifier.Verify(c.Prediction, c.Gold).IsCorrect == true;
    }

    [Fact]
    public void PublishedCases_AgreeAtLeast98Percent_WithNoFalsePositive()
    {
        var cases = LoadCases();
        Assert.True(cases.Count >= 250, $"fixture holds {cases.Count} cases"); // the converter wrote 270
        var falsePositives = new List<string>();
        var falseNegatives = new List<string>();
        foreach (var c in cases)
        {
            var ours = OurVerdict(c);
            if (ours == c.Expected) continue;
            var line = $"{c.SourceFile}::{c.TestName}[{c.CaseIndex}] gold={Shorten(c.Gold)} prediction={Shorten(c.Prediction)}";
            (ours ? falsePositives : falseNegatives).Add(line);
        }
        var agreements = cases.Count - falsePositives.Count - falseNegatives.Count;
        output.WriteLine($"n={cases.Count} agreements={agreements} ({(double)agreements / cases.Count:P2}) "
                         + $"false_positives={falsePositives.Count} false_negatives={falseNegatives.Count}");
        foreach (var l in falsePositives) output.WriteLine("FALSE POSITIVE " + l);
        foreach (var l in falseNegatives) output.WriteLine("false negative " + l);

        Assert.True(falsePositives.Count == 0, "false positives:\n" + string.Join("\n", falsePositives));
        Assert.True(agreements >= RequiredAgreement * cases.Count,
            $"{agreements}/{cases.Count} agree; disagreements:\n" + string.Join("\n", falseNegatives));
    }

    private static string Shorten(string s)
    {
        var flat = s.Replace("\n", "\\n");
        return flat.Length <= 160 ? flat : flat[..70] + " … " + flat[^80..];
    }
}
