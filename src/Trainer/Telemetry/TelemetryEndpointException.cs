namespace RlTrainer.Trainer.Telemetry;

/// <summary>The telemetry endpoint could not listen (the port is taken, the address is not this machine's, ...).</summary>
public sealed class TelemetryEndpointException(string message, Exception inner) : IOException(message, inner);
