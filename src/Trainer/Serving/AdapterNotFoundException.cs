namespace RlTrainer.Trainer.Serving;

/// <summary>A request named a LoRA adapter the server does not hold; each API turns it into its own error answer.</summary>
public sealed class AdapterNotFoundException(string name, IEnumerable<string> loaded)
    : Exception($"LoRA adapter '{name}' is not loaded (loaded: {(loaded.Any() ? string.Join(", ", loaded.Order(StringComparer.Ordinal)) : "none")}).")
{
    public string Name { get; } = name;
}
