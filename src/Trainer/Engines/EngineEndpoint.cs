namespace RlTrainer.Trainer.Engines;

/// <summary>What the trainer knows about one remote engine: its URL, requests in flight, the weights it serves,
/// what it said about itself at start, and whether its last request or load failed (a down engine gets no requests
/// while another is up, and is asked to load the weights again at the next sync). With LoraSync=Adapter, Adapter is
/// the name of the adapter it loaded last (null: its own weights), which its requests name.</summary>
internal sealed class EngineEndpoint(string url, int maxConcurrent)
{
    public string Url { get; } = url.TrimEnd('/');
    public SemaphoreSlim Slots { get; } = new(maxConcurrent, maxConcurrent);
    public int InFlight;
    public int Version;
    public volatile string? Adapter;
    public volatile bool Down;
    public string? LastError;
    public EngineInfo? Info;
}
