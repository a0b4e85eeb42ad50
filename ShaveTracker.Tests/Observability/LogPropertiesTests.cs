using System.Net;
using Microsoft.Playwright;
using Serilog.Events;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Infrastructure.Telemetry;
using static ShaveTracker.Tests.Infrastructure.CapturingLogSink;

namespace ShaveTracker.Tests.Observability;

/// <summary>
/// What an operator filters logs by: every event of a request or of an interactive session carries the trace and
/// span ids, the signed-in user's id and, in a session, the circuit id.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class LogPropertiesTests(WebAppFixture shared) : IAsyncLifetime
{
    private const string AdminName = "admin@example.test";
    private IsolatedWebApp _app = default!;

    public async Task InitializeAsync() =>
        _app = await IsolatedWebApp.StartAsync(new Dictionary<string, string?> { ["Authorization:BootstrapAdmins:0"] = AdminName });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [BrowserFact]
    public async Task Logs_written_while_an_interactive_page_loads_data_carry_the_circuit_user_trace_and_span_ids()
    {
        var admin = await LocalSignIn.CreateUserAsync(_app.Database.Factory, AdminName, "Ada Admin");
        var shaveId = await ObservedShaves.CreateAsync(_app.Database, admin, "Printer prints blank pages");
        await using var browser = await _app.OpenBrowserAsync(await shared.GetBrowserAsync(), AdminName);
        var page = browser.Page;

        // The trace is read only once the circuit runs (not while prerendering): its log event is written in the circuit.
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace");
        await Assertions.Expect(page.Locator("[data-testid=trace-ai-log-count]")).ToBeVisibleAsync();

        var loaded = Assert.Single(_app.Logs.WithTemplate(
            "Trace skeleton of shave {ShaveId}: {Steps} steps, {AiLogs} AI logs, {ToolCalls} tool calls in {ElapsedMs:0.0} ms"));
        Assert.Equal(admin.Id.ToString(), Property(loaded, LogProperties.UserId));
        Assert.False(string.IsNullOrEmpty(Property(loaded, LogProperties.CircuitId)), "The event has no circuit id.");
        Assert.NotNull(loaded.TraceId);
        Assert.NotNull(loaded.SpanId);
    }

    [Fact]
    public async Task The_logged_failure_of_a_page_request_carries_the_user_and_the_trace_of_that_request()
    {
        var admin = await LocalSignIn.CreateUserAsync(_app.Database.Factory, AdminName, "Ada Admin");
        var shaveId = await ObservedShaves.CreateAsync(_app.Database, admin, "Printer prints blank pages");
        using var client = _app.CreateClient();
        using (var signIn = await LocalSignIn.PostAsync(client, _app.BaseAddress, _app.BaseAddress, AdminName))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using (_app.TakeDatabaseAway())
        {
            using var failed = await client.GetAsync(new Uri($"/shaves/{shaveId}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        // The request's completion event (with the RequestId the error page shows) and the exception handler's record
        // of the failure are written by middleware in front of authentication; both still name the user.
        var completed = await _app.Logs.WaitForAsync(e => e.MessageTemplate.Text.StartsWith("HTTP {RequestMethod} {RequestPath} responded", StringComparison.Ordinal)
            && Property(e, "RequestPath") == $"/shaves/{shaveId}", "the failed request's completion");
        var events = _app.Logs.Events;
        var failure = Assert.Single(events, e => e.Level == LogEventLevel.Error && e.Exception is not null && e.TraceId == completed.TraceId
            && e.MessageTemplate.Text.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        foreach (var e in new[] { completed, failure })
        {
            Assert.Equal(admin.Id.ToString(), Property(e, LogProperties.UserId));
            Assert.NotNull(e.TraceId);
            Assert.NotNull(e.SpanId);
            Assert.Null(Property(e, LogProperties.CircuitId));
        }

        // Anonymous requests carry no user id.
        Assert.All(events.Where(e => Property(e, "RequestPath") == "/account/signin" && Property(e, "RequestMethod") == "GET"),
            e => Assert.Null(Property(e, LogProperties.UserId)));
    }
}
