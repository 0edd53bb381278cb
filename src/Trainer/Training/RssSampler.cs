using System.Diagnostics;

namespace RlTrainer.Trainer.Training;

/// Peak resident set size over a region of code, sampled every 5 ms (the process-wide peak would hide later phases).
public sealed class RssSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public RssSampler()
    {
        _peak = Current();
        _timer = new Timer(_ => Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), Current())), null, 0, 5);
    }

    public long PeakBytes => Math.Max(Interlocked.Read(ref _peak), Current());

    public static long Current()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }

    public void Dispose() => _timer.Dispose();
}
