namespace RlTrainer.Trainer.Data;

/// <summary>The column layout of a Parquet data file.</summary>
public enum DataShape
{
    /// <summary>Detect per file from the schema: verl, then GSM8K, then MATH; anything else is an error.</summary>
    Auto,

    /// <summary>verl RL schema: <c>prompt</c> list&lt;struct{role, content}&gt;, <c>reward_model.ground_truth</c>, <c>data_source</c>, <c>ability</c>, <c>extra_info</c>.</summary>
    Verl,

    /// <summary>GSM8K: <c>question</c>, and <c>answer</c> whose last line is <c>#### N</c>.</summary>
    Gsm8k,

    /// <summary>MATH / MATH-500: <c>problem</c>, <c>solution</c> with a <c>\boxed{}</c> answer, optional <c>answer</c>.</summary>
    Math,

    /// <summary>Any other layout, read through <see cref="DataOptions.Columns"/>.</summary>
    Custom,
}
