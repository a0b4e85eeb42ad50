using Microsoft.AspNetCore.Http;
using Serilog.Events;
using ShaveTracker.Web.Infrastructure;

namespace ShaveTracker.Tests.Observability;

/// <summary>The request log says "error" when the app failed, not when a browser gave up on its request.</summary>
public sealed class RequestLogLevelTests
{
    [Fact]
    public void A_request_its_client_aborted_is_not_an_error()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        var http = new DefaultHttpContext { RequestAborted = aborted.Token };

        Assert.Equal(LogEventLevel.Information, RequestLogLevel.For(http, new TaskCanceledException()));
    }

    [Fact]
    public void A_cancellation_the_client_did_not_ask_for_is_an_error()
    {
        // A timeout inside the app cancels too, with the client still waiting for an answer.
        var http = new DefaultHttpContext();

        Assert.Equal(LogEventLevel.Error, RequestLogLevel.For(http, new TaskCanceledException()));
    }

    [Theory]
    [InlineData(200, LogEventLevel.Information)]
    [InlineData(404, LogEventLevel.Information)]
    [InlineData(499, LogEventLevel.Information)]
    [InlineData(500, LogEventLevel.Error)]
    [InlineData(503, LogEventLevel.Error)]
    public void Answers_are_errors_from_500_on(int status, LogEventLevel expected)
    {
        var http = new DefaultHttpContext();
        http.Response.StatusCode = status;

        Assert.Equal(expected, RequestLogLevel.For(http, null));
    }

    [Fact]
    public void An_exception_is_an_error_whatever_the_status()
    {
        var http = new DefaultHttpContext();

        Assert.Equal(LogEventLevel.Error, RequestLogLevel.For(http, new InvalidOperationException("The app failed.")));
    }
}
