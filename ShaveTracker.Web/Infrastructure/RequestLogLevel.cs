using Serilog.Events;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>The level a finished request is logged at by the request-logging middleware.</summary>
public static class RequestLogLevel
{
    /// <summary>
    /// Errors and 5xx answers are errors, except a request its client gave up on: a browser that navigated on (a
    /// person clicked again, a tab closed) aborts its request, whatever was awaiting it throws
    /// <see cref="OperationCanceledException"/>, and the exception handler then answers 499 to nobody. That is not
    /// the app failing, so it is logged as information.
    /// </summary>
    public static LogEventLevel For(HttpContext http, Exception? exception)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return LogEventLevel.Information;
        }

        return exception is not null || http.Response.StatusCode >= StatusCodes.Status500InternalServerError
            ? LogEventLevel.Error
            : LogEventLevel.Information;
    }
}
