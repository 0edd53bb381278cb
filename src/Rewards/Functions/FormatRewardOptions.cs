namespace RlTrainer.Rewards.Functions;

/// <summary>Options of the <c>format</c> reward. JSON keys: <c>style</c>, <c>pattern</c>.</summary>
public sealed class FormatRewardOptions
{
    /// <summary>Which format is expected. Default <see cref="FormatStyle.Boxed"/>.</summary>
    public FormatStyle Style { get; init; } = FormatStyle.Boxed;

    /// <summary>The regular expression for <see cref="FormatStyle.Regex"/> (required there, not allowed otherwise).</summary>
    public string? Pattern { get; init; }
}
