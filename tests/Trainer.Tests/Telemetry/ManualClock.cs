namespace RlTrainer.Trainer.Tests.Telemetry;

/// A clock the test moves by hand.
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(double seconds) => _now = _now.AddSeconds(seconds);
}
