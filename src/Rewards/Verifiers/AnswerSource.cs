namespace RlTrainer.Rewards.Verifiers;

/// <summary>Where in a completion the graded answer was found, most explicit first.</summary>
public enum AnswerSource
{
    /// <summary>The last <c>\boxed{…}</c> / <c>\fbox{…}</c> (adjacent boxes joined as a list).</summary>
    Boxed,
    /// <summary>GSM8K's "#### 72" line.</summary>
    Gsm8kMarker,
    /// <summary>"The (final) answer is …" / "Answer: …".</summary>
    AnswerPhrase,
    /// <summary>Fallback: the last inline math (<c>$…$</c>, <c>\(…\)</c>) when it ends the text.</summary>
    LastMathSpan,
    /// <summary>Fallback: the last number in the text.</summary>
    LastNumber,
    /// <summary>Fallback: the whole completion, when it is a short bare answer such as "-\frac{3}{4}".</summary>
    WholeText,
}
