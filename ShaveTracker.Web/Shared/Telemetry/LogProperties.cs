using System.Diagnostics;
using System.Security.Claims;
using Serilog.Context;

namespace ShaveTracker.Web.Shared.Telemetry;

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
    /// After authentication: every event the request logs from here on (services, endpoints, pages) carries the
    /// user id. The request's own completion event gets it from the diagnostic context (see ShaveTrackerHosting).
    /// </summary>
    public static IApplicationBuilder UseUserLogContext(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            using (PushUserId(http.User))
            {
                await next(http);
            }
        });
}
