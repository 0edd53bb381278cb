namespace RlTrainer.Trainer.Serving;

/// <summary>A request the server refuses; the message names the field and the value.</summary>
/// <param name="status">The HTTP status: 400, or 404 where the engine it imitates answers so (vLLM's unknown model).</param>
/// <param name="type">The error type of the answer (OpenAI's BadRequestError, NotFoundError).</param>
public sealed class ServeRequestException(string message, int status = 400, string type = "BadRequestError") : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
}
