using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// LoRA adapters on the policy (Model:Lora; PEFT's LoraConfig): only the adapters train and reach AdamW, the base
/// weights stay frozen, checkpoints hold the adapter in PEFT's layout, and the KL reference is the same model with the
/// adapters switched off.
/// </summary>
public sealed class LoraOptions
{
    public const string Section = "Lora";

    /// <summary>Train LoRA adapters instead of every weight. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>r: the adapters' rank. Default 16.</summary>
    [Range(1, 4096)] public int Rank { get; set; } = 16;

    /// <summary>lora_alpha: the update is scaled by Alpha / Rank. Default 32.</summary>
    [Range(1e-6, 1e6)] public double Alpha { get; set; } = 32;

    /// <summary>lora_dropout on the adapters' input, in training only. Default 0.</summary>
    [Range(0.0, 0.95)] public double Dropout { get; set; }

    /// <summary>Hugging Face module names (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj) or
    /// "all-linear". Empty (default): the attention projections q_proj, k_proj, v_proj, o_proj.</summary>
    public List<string> TargetModules { get; set; } = [];
}
