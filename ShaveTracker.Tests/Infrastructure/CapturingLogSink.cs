using Serilog.Core;
using Serilog.Events;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// A Serilog sink that keeps the events the app writes (the app's logger reads sinks from its services), so that a
/// test can check their properties: trace and span ids, user id, circuit id. Keeps the newest events only, so a
/// long-lived host does not grow without bound.
/// </summary>
public sealed class CapturingLogSink : ILogEventSink
{
    private const int Capacity = 20_000;
    private readonly Queue<(long Number, LogEvent Event)> _events = new();
    private readonly Lock _lock = new();
    private long _written;

    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Select(e => e.Event)];
            }
        }
    }

    /// <summary>A mark to read the events written after it (<see cref="EventsSince"/>).</summary>
    public long Mark()
    {
        lock (_lock)
        {
            return _written;
        }
    }

    /// <summary>The events written after <paramref name="mark"/> that are still kept.</summary>
    public IReadOnlyList<LogEvent> EventsSince(long mark)
    {
        lock (_lock)
        {
            return [.. _events.Where(e => e.Number > mark).Select(e => e.Event)];
        }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            _events.Enqueue((++_written, logEvent));
            if (_events.Count > Capacity)
            {
                _events.Dequeue();
            }
        }
    }

    /// <summary>
    /// The first event that matches, once it has been written: a request's completion event is written after its
    /// response has gone to the client, so it may arrive just after the test has its answer.
    /// </summary>
    public async Task<LogEvent> WaitForAsync(Func<LogEvent, bool> match, string what)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Events.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.False(patience.IsCancellationRequested, $"No log event: {what}.");
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>The events whose message template is <paramref name="template"/> (as written in the code).</summary>
    public IReadOnlyList<LogEvent> WithTemplate(string template) =>
        [.. Events.Where(e => e.MessageTemplate.Text == template)];

    /// <summary>A scalar property's value as text, or null when the event does not have it.</summary>
    public static string? Property(LogEvent logEvent, string name)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return logEvent.Properties.TryGetValue(name, out var value)
            ? value is ScalarValue { Value: var scalar } ? scalar?.ToString() : value.ToString()
            : null;
    }
}
