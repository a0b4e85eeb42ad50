using System.Diagnostics;
using System.Security.Claims;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Infrastructure.Telemetry;

/// <summary>
/// The properties that tie a log event to who and what caused it, beside the trace and span ids Serilog takes from
/// the current <see cref="Activity"/>: <see cref="UserId"/> (the signed-in user's ShaveTracker id) on events of
/// requests and circuits, <see cref="CircuitId"/> on events of an interactive session.
/// </summary>
public static class LogProperties
{
    public const string UserId = "UserId";
    public const string CircuitId = "CircuitId";

    /// <summary>The ShaveTracker user id of a signed-in principal (the sign-in cookie's user id claim); null otherwise.</summary>
    public static string? UserIdOf(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true ? user.FindFirst(ClaimNames.UserId)?.Value : null;

    /// <summary>Pushes <see cref="UserId"/> for a signed-in principal; nothing for anyone else.</summary>
    public static IDisposable? PushUserId(ClaimsPrincipal? user) =>
        UserIdOf(user) is { } id ? LogContext.PushProperty(UserId, id) : null;

    /// <summary>
    /// Starts an activity for log correlation when nothing has one: Serilog takes the trace and span ids of log
    /// events from <see cref="Activity.Current"/>, and without one the events of an interactive page could not be
    /// told apart. Created directly rather than from an ActivitySource, so it is never sampled or exported (a
    /// circuit handles an activity for every render acknowledgement); where tracing is on, Blazor's own event and
    /// navigation spans are current inside it and their ids win.
    /// </summary>
    public static Activity? StartActivityIfNone(string name) =>
        Activity.Current is null ? new Activity(name).Start() : null;

    /// <summary>
    /// First in the pipeline: every event of the request carries the user id once authentication has identified the
    /// user, including the ones written by middleware outside authentication (the exception handler's record of a
    /// failed request, the request's completion event). The user is read when each event is written, not when the
    /// request arrives, because authentication runs further down the pipeline.
    /// </summary>
    public static IApplicationBuilder UseUserLogContext(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var user = new RequestUserEnricher(http);
            using (LogContext.Push(user))
            {
                try
                {
                    await next(http);
                }
                finally
                {
                    user.RequestEnded();
                }
            }
        });

    /// <summary>
    /// The log context flows into work the request starts and does not wait for (a live update it published); such
    /// work may log after the request, when its HttpContext is reused by another one. From then on the enricher
    /// gives the user id the request ended with, without touching the HttpContext.
    /// </summary>
    private sealed class RequestUserEnricher(HttpContext http) : ILogEventEnricher
    {
        private readonly Lock _lock = new();
        private HttpContext? _http = http;
        private string? _userIdAfterRequest;

        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            string? userId;
            lock (_lock)
            {
                userId = _http is { } current ? UserIdOf(current.User) : _userIdAfterRequest;
            }

            if (userId is not null)
            {
                logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(UserId, userId));
            }
        }

        public void RequestEnded()
        {
            lock (_lock)
            {
                _userIdAfterRequest = UserIdOf(_http?.User);
                _http = null;
            }
        }
    }
}
