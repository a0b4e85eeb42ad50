using System.Diagnostics.Metrics;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>One measurement as an instrument reported it.</summary>
public sealed record CapturedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

/// <summary>
/// Listens to one meter of one app host: meters come from the host's <see cref="IMeterFactory"/>, so the hosts that
/// other tests run in this process at the same time are not heard.
/// </summary>
public sealed class MetricCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<CapturedMeasurement> _measurements = [];
    private readonly Lock _lock = new();

    public MetricCapture(IMeterFactory host, string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, host))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<CapturedMeasurement> Measurements(string instrument)
    {
        lock (_lock)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument)];
        }
    }

    /// <summary>The sum of an instrument's measurements that carry all the given tags (for a counter: how much it grew).</summary>
    public double Sum(string instrument, params (string Key, object? Value)[] tags) =>
        Measurements(instrument)
            .Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
            .Sum(m => m.Value);

    /// <summary>
    /// Waits until the sum reaches <paramref name="expected"/>: what middleware counts after the response has been
    /// sent may be counted just after the client has its answer.
    /// </summary>
    public async Task WaitForSumAsync(double expected, string instrument, params (string Key, object? Value)[] tags)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Sum(instrument, tags) < expected && !patience.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        Assert.Equal(expected, Sum(instrument, tags));
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var measurement = new CapturedMeasurement(instrument.Name, value, new Dictionary<string, object?>(tags.ToArray(), StringComparer.Ordinal));
        lock (_lock)
        {
            _measurements.Add(measurement);
        }
    }
}
