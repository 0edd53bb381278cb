using System.Net;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Tests.Engines;

public class EngineHttpTests
{
    [Theory]
    [InlineData("{\"object\":\"error\",\"message\":\"too long\",\"type\":\"BadRequestError\",\"code\":400}", "too long")] // vLLM
    [InlineData("{\"error\":{\"message\":\"too long\",\"type\":\"BadRequestError\"}}", "too long")]                    // vLLM, SGLang
    [InlineData("{\"detail\":\"Not Found\"}", "Not Found")]                                                            // FastAPI
    [InlineData("Internal Server Error", "Internal Server Error")]
    [InlineData("", "(empty body)")]
    public void ServerMessage_ReadsEachEngineErrorShape(string body, string expected) =>
        Assert.Equal(expected, EngineHttp.ServerMessage(body));

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, true)]
    [InlineData(HttpStatusCode.Unauthorized, true)]
    [InlineData(HttpStatusCode.NotFound, true)]
    [InlineData(HttpStatusCode.RequestTimeout, false)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public void OnlyA4xxOtherThan408And429IsDeterministic(HttpStatusCode status, bool deterministic) =>
        Assert.Equal(deterministic, EngineHttp.IsDeterministic(status));

    [Fact]
    public async Task AnEmpty200ReadsAsNull_AndA400ThrowsWithTheServersMessage()
    {
        var stub = new StubEngineHandler()
            .On("/collective_rpc", StubEngineHandler.Reply.Empty)
            .On("/v1/completions", new StubEngineHandler.Reply(HttpStatusCode.BadRequest, "{\"message\":\"prompt too long\"}"));
        using var http = new EngineHttp(null, stub);
        Assert.Null(await http.PostAsync("http://e/collective_rpc", "{}", CancellationToken.None));
        var e = await Assert.ThrowsAsync<EngineRequestRejectedException>(() => http.PostAsync("http://e/v1/completions", "{}", CancellationToken.None));
        Assert.Equal("prompt too long", e.ServerMessage);
        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
    }
}
