using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Reporting;

public class ReportFormatTests
{
    [Theory]
    [InlineData(0.415, "41.5%")]
    [InlineData(1.0, "100.0%")]
    [InlineData(0.0, "0.0%")]
    [InlineData(0.00049, "0.0%")]
    public void Percent(double fraction, string expected) => Assert.Equal(expected, ReportFormat.Percent(fraction));

    [Theory]
    [InlineData(12.34, "12.3s")]
    [InlineData(64, "1m 04s")]
    [InlineData(3723, "1h 02m 03s")]
    [InlineData(90000, "25h 00m 00s")]
    public void Duration(double seconds, string expected) => Assert.Equal(expected, ReportFormat.Duration(seconds));
}
