namespace RlTrainer.Trainer.Serving;

/// <summary>A request the server refuses (HTTP 400); the message names the field and the value.</summary>
public sealed class ServeRequestException(string message) : Exception(message);
