using Microsoft.Extensions.Logging;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>One log event as the logger received it: the rendered message and the template's named values.</summary>
public sealed record CapturedLog(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values);

/// <summary>
/// Keeps every event logged through it, so that a test can check structured events (audit events above all) by
/// their named values rather than by parsing text.
/// </summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<CapturedLog> _events = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<CapturedLog> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        lock (_lock)
        {
            _events.Add(new CapturedLog(logLevel, formatter(state, exception), values));
        }
    }
}
