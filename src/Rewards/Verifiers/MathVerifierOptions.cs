using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Options of <see cref="MathAnswerVerifier"/>, also the <c>options</c> object of a <c>math_accuracy</c> reward
/// (JSON keys in snake_case: <c>last_number_fallback</c>, <c>plain_number_fallback</c>, <c>allow_set_relation</c>,
/// <c>timeout_ms</c>, <c>decimal_places</c>).
/// </summary>
public sealed class MathVerifierOptions
{
    /// <summary>
    /// When the completion has no <c>\boxed{}</c>, "####" or "answer is", grade its last number (or its last inline
    /// math when that ends the text), as verl's flexible GSM8K mode does. Turn off to reward only explicit answers.
    /// Default true.
    /// </summary>
    public bool LastNumberFallback { get; init; } = true;

    /// <summary>
    /// Lets that fallback take a number or a short answer written in plain text. Off, only LaTeX math (<c>$…$</c>,
    /// <c>\(…\)</c>, <c>\[…\]</c>) is taken, as Math-Verify grades with only its LaTeX extraction target. Default true.
    /// </summary>
    public bool PlainNumberFallback { get; init; } = true;

    /// <summary>
    /// A gold set (an interval) also accepts the inequalities that describe it ("x ∈ [−2, 7]" accepts
    /// "−2 ≤ x ≤ 7"); a gold inequality always accepts its set. Math-Verify's <c>allow_set_relation_comp</c>. Default false.
    /// </summary>
    public bool AllowSetRelation { get; init; }

    /// <summary>Wall-clock limit of one verification in milliseconds; past it the answer counts as wrong. Default 1000.</summary>
    [Range(1, 600_000)]
    public int TimeoutMs { get; init; } = 1000;

    /// <summary>
    /// Places to which a written decimal and the other side are both rounded before comparing ("0.333333" matches
    /// 1/3 at 6, "0.33" does not); Math-Verify's <c>float_rounding</c>. Default 6.
    /// </summary>
    [Range(0, 30)]
    public int DecimalPlaces { get; init; } = 6;
}
