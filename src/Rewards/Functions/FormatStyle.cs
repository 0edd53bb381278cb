namespace RlTrainer.Rewards.Functions;

/// <summary>What "the expected format" means for a <c>format</c> reward (JSON values in snake_case).</summary>
public enum FormatStyle
{
    /// <summary>The answer is in a complete, non-empty <c>\boxed{…}</c> (after <c>&lt;/think&gt;</c> when there is one).</summary>
    Boxed,
    /// <summary>A GSM8K "#### &lt;number&gt;" line.</summary>
    Gsm8k,
    /// <summary>Exactly one <c>&lt;/think&gt;</c>, with reasoning before it and an answer after it (R1 style).</summary>
    ThinkThenAnswer,
    /// <summary><see cref="ThinkThenAnswer"/> with the answer boxed after <c>&lt;/think&gt;</c>.</summary>
    ThinkThenBoxed,
    /// <summary>The whole completion matches the <c>pattern</c> option (.NET regex, singleline).</summary>
    Regex,
}
