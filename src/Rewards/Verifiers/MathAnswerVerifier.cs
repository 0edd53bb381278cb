using System.Text.RegularExpressions;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Grades a completion against a math ground truth: extracts the answer (<see cref="AnswerExtractor"/>),
/// normalizes both sides (<see cref="LatexNormalizer"/>), parses them and compares meaning
/// (<see cref="AnswerComparer"/>). Never throws on model output, and never runs past its time limit by more
/// than one budget check.
/// </summary>
public sealed partial class MathAnswerVerifier
{
    private readonly MathVerifierOptions _options;

    public MathAnswerVerifier(MathVerifierOptions? options = null) => _options = options ?? new MathVerifierOptions();

    public MathVerifierOptions Options => _options;

    /// <summary>Grades <paramref name="completion"/> against <paramref name="groundTruth"/>.</summary>
    public VerificationResult Verify(string? completion, string? groundTruth)
    {
        var budget = new VerifierBudget(TimeSpan.FromMilliseconds(_options.TimeoutMs));
        string? extracted = null;
        try
        {
            var gold = groundTruth is null ? null : AnswerExtractor.GroundTruthAnswer(groundTruth);
            var predicted = AnswerExtractor.FromCompletion(completion ?? "", _options.LastNumberFallback, _options.PlainNumberFallback);
            extracted = predicted?.Text;
            if (gold is null) return new VerificationResult(null, extracted);
            var verdict = Compare(gold.Text, extracted, budget);
            if (verdict != true && predicted is not null)
            {
                // Plain-text "1,22" is Math-Verify's 1.22 (its number pattern takes a comma before other than three
                // digits as a decimal mark); LaTeX "$1,22$" stays the list. Tried only after the list reading fails.
                var goldDecimal = DecimalCommaReading(gold);
                var predictedDecimal = DecimalCommaReading(predicted);
                if ((goldDecimal ?? predictedDecimal) is not null
                    && Compare(goldDecimal ?? gold.Text, predictedDecimal ?? predicted.Text, budget) == true)
                    verdict = true;
            }
            return new VerificationResult(verdict, extracted);
        }
        catch (VerifierTimeoutException)
        {
            return new VerificationResult(false, extracted, TimedOut: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A verifier bug must cost one sample its reward, not the training run; the error is reported.
            return new VerificationResult(false, extracted, Error: $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Compares two already-extracted answers. True/false when decided, null when the gold answer cannot be graded.
    /// A timeout counts as false.
    /// </summary>
    public bool? AreEquivalent(string goldAnswer, string predictedAnswer)
    {
        try
        {
            return Compare(goldAnswer, predictedAnswer, new VerifierBudget(TimeSpan.FromMilliseconds(_options.TimeoutMs)));
        }
        catch (VerifierTimeoutException)
        {
            return false;
        }
    }

    private bool? Compare(string goldAnswer, string? predictedAnswer, VerifierBudget budget)
    {
        var gold = LatexNormalizer.Normalize(goldAnswer);
        if (gold.Length == 0) return null;
        if (predictedAnswer is null) return false;
        var predicted = LatexNormalizer.Normalize(predictedAnswer);
        if (predicted.Length == 0) return false;
        if (string.Equals(gold.Replace(" ", ""), predicted.Replace(" ", ""), StringComparison.Ordinal)) return true;

        // Multiple choice: a gold "C" / "(C)" accepts "(C)", "C", "C." or "(C) 42", and nothing else.
        var goldChoice = ChoiceLetter().Match(gold);
        if (goldChoice.Success)
        {
            var predictedChoice = PredictedChoice().Match(predicted);
            if (predictedChoice.Success) return predictedChoice.Groups[1].Value == goldChoice.Groups[1].Value;
        }

        budget.Check();
        var goldTree = MathExpressionParser.TryParse(gold, budget);
        if (goldTree is null) return null;
        var predictedTree = MathExpressionParser.TryParse(predicted, budget);
        if (predictedTree is null) return false;
        return new AnswerComparer(_options.DecimalPlaces, budget, _options.AllowSetRelation).Equivalent(goldTree, predictedTree);
    }

    /// <summary>"1,22" read as 1.22 when it was written in plain text, or null (LaTeX, or a thousands form like "1,000").</summary>
    private static string? DecimalCommaReading(ExtractedAnswer answer)
    {
        if (answer.Source is not (AnswerSource.LastNumber or AnswerSource.WholeText or AnswerSource.Gsm8kMarker)) return null;
        var text = answer.Text.Trim();
        if (!DecimalComma().IsMatch(text) || Thousands().IsMatch(text)) return null;
        return text.Replace(',', '.');
    }

    [GeneratedRegex(@"^-?\d+,\d+$")]
    private static partial Regex DecimalComma();

    [GeneratedRegex(@"^-?[1-9]\d{0,2}(?:,\d{3})+$")]
    private static partial Regex Thousands();

    [GeneratedRegex(@"^\(?([A-J])\)?$")]
    private static partial Regex ChoiceLetter();

    [GeneratedRegex(@"^\(?([A-J])(?:\)|(?=[\s.:]|$))")]
    private static partial Regex PredictedChoice();
}
