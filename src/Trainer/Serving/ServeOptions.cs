namespace RlTrainer.Trainer.Serving;

/// <summary>How `rltrainer serve` runs: which model, where it listens, who may call it.</summary>
public sealed record ServeOptions
{
    /// <summary>Hugging Face model folder with tokenizer files.</summary>
    public required string ModelDir { get; init; }
    /// <summary>A LoRA adapter folder (PEFT layout) served on top of <see cref="ModelDir"/>; null = the model alone.</summary>
    public string? AdapterDir { get; init; }
    /// <summary>Interface to bind; loopback unless asked otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8000;
    /// <summary>When set, every endpoint but /health needs "Authorization: Bearer KEY".</summary>
    public string? ApiKey { get; init; }
    /// <summary>The model id of /v1/models and of completion answers; default the folder name.</summary>
    public string? ServedModelName { get; init; }
    public string Device { get; init; } = "cpu";
    /// <summary>Rows decoded together at most; concurrent requests with the same sampling settings share batches.</summary>
    public int MaxBatchRows { get; init; } = 64;
}
