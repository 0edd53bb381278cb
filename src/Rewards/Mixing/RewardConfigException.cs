namespace RlTrainer.Rewards.Mixing;

/// <summary>A reward-mix configuration error; the message names the source, the JSON path and the bad value.</summary>
public sealed class RewardConfigException : Exception
{
    public RewardConfigException(string source, string path, string message)
        : base($"{source}: {path}: {message}")
    {
        Source = source;
        JsonPath = path;
    }

    /// <summary>File name (or "&lt;rewards&gt;" for text).</summary>
    public new string Source { get; }

    /// <summary>JSON path of the offending element, e.g. <c>$.components[1].weight</c>.</summary>
    public string JsonPath { get; }
}
