using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Tests.Engines;

public class ImportanceCorrectionTests
{
    // Δ = trainer − engine = [ln 2, ln 4, −ln 2]: token ratios 2, 4, 0.5; sequence ratio 2·4·0.5 = 4.
    private static readonly float[] Trainer = { (float)Math.Log(2), (float)Math.Log(4), (float)-Math.Log(2) };
    private static readonly float[] Engine = { 0f, 0f, 0f };

    [Fact]
    public void TokenTruncate_ClampsEachTokenRatio()
    {
        var w = ImportanceCorrection.Weights(Trainer, Engine, IsCorrectionMode.TokenTruncate, max: 3.0, min: 0.6);
        Assert.Equal(new[] { 2.0, 3.0, 0.6 }, w.Select(x => Math.Round(x, 5)));
    }

    [Fact]
    public void TokenMask_ZeroesRatiosOutsideTheBounds()
    {
        var w = ImportanceCorrection.Weights(Trainer, Engine, IsCorrectionMode.TokenMask, max: 3.0, min: null);
        Assert.Equal(new[] { 2.0, 0.0, 0.5 }, w.Select(x => Math.Round(x, 5)));
    }

    [Fact]
    public void SequenceModes_UseTheProductOfTokenRatios()
    {
        var truncated = ImportanceCorrection.Weights(Trainer, Engine, IsCorrectionMode.SequenceTruncate, max: 3.0, min: null);
        Assert.All(truncated, x => Assert.Equal(3.0, x, 5));
        var masked = ImportanceCorrection.Weights(Trainer, Engine, IsCorrectionMode.SequenceMask, max: 3.0, min: null);
        Assert.All(masked, x => Assert.Equal(0.0, x, 5));
        var kept = ImportanceCorrection.Weights(Trainer, Engine, IsCorrectionMode.SequenceMask, max: 5.0, min: null);
        Assert.All(kept, x => Assert.Equal(4.0, x, 5));
    }

    [Fact]
    public void None_IsAllOnes_AndLengthsMustMatch()
    {
        Assert.All(ImportanceCorrection.Weights(Trainer, Engine, IsCorrectionMode.None, 3.0, null), x => Assert.Equal(1f, x));
        Assert.Throws<ArgumentException>(() => ImportanceCorrection.Weights(Trainer, new float[2], IsCorrectionMode.TokenMask, 3.0, null));
    }
}
