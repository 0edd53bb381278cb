namespace RlTrainer.Rollout.Model;

/// <summary>
/// A LoRA adapter's shape, as PEFT's LoraConfig describes it (adapter_config.json: r, lora_alpha, lora_dropout,
/// target_modules, base_model_name_or_path). Each targeted projection y = x Wᵀ + b gains
/// dropout(x) Aᵀ Bᵀ · <see cref="Scaling"/>, with A (r, in) and B (out, r).
/// </summary>
public sealed record LoraConfig
{
    /// <summary>PEFT's shorthand for every linear layer of the decoder (not lm_head).</summary>
    public const string AllLinear = "all-linear";

    /// <summary>The projections an adapter can target, in the order adapters are listed (attention, then MLP).</summary>
    public static readonly IReadOnlyList<string> AllTargets =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>r: the rank of A and B. Default 16.</summary>
    public int Rank { get; init; } = 16;

    /// <summary>lora_alpha: the delta is scaled by Alpha / Rank. Default 32.</summary>
    public double Alpha { get; init; } = 32;

    /// <summary>lora_dropout: dropout probability on the adapter's input, in train mode only. Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>Hugging Face module names (see <see cref="AllTargets"/>), or ["all-linear"]. Default the attention
    /// projections, PEFT's default for llama and qwen2.</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj"];

    /// <summary>The base model the adapter was trained on (a path or hub id); informational.</summary>
    public string BaseModelNameOrPath { get; init; } = "";

    /// <summary>α / r, PEFT's scaling without rsLoRA.</summary>
    public double Scaling => Alpha / Rank;

    /// <summary>The targeted projection names in <see cref="AllTargets"/> order, "all-linear" expanded.</summary>
    /// <exception cref="ArgumentException">An unknown name (the message lists the allowed ones), no target, or
    /// "all-linear" listed beside other names.</exception>
    public IReadOnlyList<string> ResolvedTargets()
    {
        if (TargetModules is null || TargetModules.Count == 0)
            throw new ArgumentException($"LoRA target_modules is empty: list some of {Allowed()}.");
        if (TargetModules.Contains(AllLinear))
        {
            if (TargetModules.Any(t => t != AllLinear))
                throw new ArgumentException($"LoRA target_modules [{string.Join(", ", TargetModules)}]: \"{AllLinear}\" stands alone (it already means every projection).");
            return AllTargets;
        }
        foreach (var t in TargetModules)
            if (!AllTargets.Contains(t))
                throw new ArgumentException($"LoRA target module '{t}' is not one of {Allowed()}.");
        return AllTargets.Where(TargetModules.Contains).ToArray();
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the field and value when the adapter cannot be built.</summary>
    public void Validate()
    {
        if (Rank < 1) throw new ArgumentException($"LoRA rank (r) is {Rank}; it must be at least 1.");
        if (!double.IsFinite(Alpha) || Alpha <= 0)
            throw new ArgumentException($"LoRA alpha (lora_alpha) is {Alpha}; it must be a positive number.");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentException($"LoRA dropout (lora_dropout) is {Dropout}; it must be in [0, 1).");
        ResolvedTargets();
    }

    private static string Allowed() => $"{string.Join(", ", AllTargets)} or \"{AllLinear}\"";
}
