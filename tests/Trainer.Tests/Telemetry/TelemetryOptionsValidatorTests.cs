using RlTrainer.Trainer.Telemetry;

namespace RlTrainer.Trainer.Tests.Telemetry;

public class TelemetryOptionsValidatorTests
{
    private static IReadOnlyList<string> Failures(TelemetryOptions o) =>
        new TelemetryOptionsValidator().Validate(null, o).Failures?.ToList() ?? [];

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("9464", "http://127.0.0.1:9464/")]
    [InlineData("0", "http://127.0.0.1:0/")]
    [InlineData("http://127.0.0.1:9464/", "http://127.0.0.1:9464/")]
    [InlineData("http://localhost:9100", "http://localhost:9100/")]
    [InlineData("http://0.0.0.0:9464/", "http://0.0.0.0:9464/")]
    public void Endpoint_PortMeansLoopback_UrlAsGiven(string? value, string? expected)
    {
        var o = new TelemetryOptions { PrometheusEndpoint = value };
        Assert.Equal(expected, o.ListenUri()?.ToString());
        Assert.Empty(Failures(o));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9464/metrics")]
    [InlineData("https://127.0.0.1:9464/")]
    [InlineData("65536")]
    [InlineData("localhost")]
    [InlineData("http://127.0.0.1:9464/?a=1")]
    public void Endpoint_NotAPortOrAPathlessHttpUrl_IsNamedWithItsValue(string value)
    {
        var failure = Assert.Single(Failures(new TelemetryOptions { PrometheusEndpoint = value }));
        Assert.StartsWith($"Telemetry:PrometheusEndpoint = '{value}': expected a port", failure);
    }

    [Fact]
    public void Paths_MustStartWithASlash_AndDiffer()
    {
        var failures = Failures(new TelemetryOptions { MetricsPath = "metrics", LivePath = "/health", ReadyPath = "/health" });
        Assert.Equal(2, failures.Count);
        Assert.Contains("Telemetry:MetricsPath = 'metrics': must start with '/' and hold no query or fragment.", failures);
        Assert.Contains("Telemetry:LivePath, ReadyPath = '/health': each path must be different.", failures);
    }
}
