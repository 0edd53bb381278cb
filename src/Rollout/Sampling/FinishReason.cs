namespace RlTrainer.Rollout.Sampling;

/// <summary>Why a row stopped, in the OpenAI/vLLM vocabulary.</summary>
public enum FinishReason
{
    /// <summary>An eos token or a stop string was produced.</summary>
    Stop,
    /// <summary>max_new_tokens was reached (the completion is truncated).</summary>
    Length,
}

public static class FinishReasonNames
{
    public static string ToApiString(this FinishReason r) => r == FinishReason.Stop ? "stop" : "length";
}
