using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Training;

/// <summary>The policy to train and where it computes.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>Hugging Face model folder (config.json, model.safetensors, tokenizer files). Required.</summary>
    [Required(AllowEmptyStrings = false)] public string Path { get; set; } = "";
    /// <summary>cpu or cuda: where every tensor lives; cpu computes in float32, cuda in bfloat16. Default cpu.</summary>
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$")] public string Device { get; set; } = "cpu";
    /// <summary>Frozen reference for the KL term (only loaded when the objective needs it). Default: the starting Path.</summary>
    public string? ReferencePath { get; set; }
}
