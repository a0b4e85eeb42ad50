using System.Globalization;

namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>One label on the waterfall's axis: where it sits (percent of the window) and what it says.</summary>
public readonly record struct TraceTick(double Percent, string Label, bool Minor);

/// <summary>
/// The waterfall's axis: ticks at round times since the shave was created (0, 30 min, 1 h, … or 0, 200 ms,
/// 400 ms, …), as many as fit a narrow column (at most six), for any window from a millisecond to days.
/// </summary>
public static class TraceAxis
{
    private const int MaxTicks = 6;

    private static readonly TimeSpan[] Steps =
    [
        .. new[] { 1, 2, 5, 10, 20, 50, 100, 200, 500 }.Select(ms => TimeSpan.FromMilliseconds(ms)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(s => TimeSpan.FromSeconds(s)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(m => TimeSpan.FromMinutes(m)),
        .. new[] { 1, 2, 3, 6, 12, 24 }.Select(h => TimeSpan.FromHours(h)),
    ];

    /// <summary>The smallest round step that puts no more than six ticks on the window.</summary>
    public static TimeSpan StepFor(TimeSpan length)
    {
        foreach (var step in Steps)
        {
            if (length.Ticks / step.Ticks < MaxTicks)
            {
                return step;
            }
        }

        var days = Math.Ceiling(length.TotalDays / (MaxTicks - 1));
        return TimeSpan.FromDays(days);
    }

    /// <summary>Ticks at multiples of the step since <paramref name="origin"/> (the shave's creation) inside the window.</summary>
    public static List<TraceTick> Ticks(TraceWindow window, DateTime origin)
    {
        var length = window.Length <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : window.Length;
        var step = StepFor(length);
        var first = (long)Math.Ceiling((double)(window.Start - origin).Ticks / step.Ticks);
        var ticks = new List<TraceTick>(MaxTicks + 1);
        for (var n = first; origin + (step * n) <= window.End && ticks.Count <= MaxTicks; n++)
        {
            var at = step * n;
            var percent = (double)(origin + at - window.Start).Ticks / length.Ticks * 100;
            ticks.Add(new TraceTick(percent, Label(at, step), Minor: n % 2 != 0));
        }

        return ticks;
    }

    /// <summary>A tick's time in the units its step is counted in: "0", "400 ms", "1.2 s", "45 s", "1 min 30 s", "2 h".</summary>
    public static string Label(TimeSpan at, TimeSpan step)
    {
        if (at == TimeSpan.Zero)
        {
            return "0";
        }

        if (at < TimeSpan.Zero)
        {
            return "-" + Label(at.Duration(), step);
        }

        var c = CultureInfo.InvariantCulture;
        if (step < TimeSpan.FromSeconds(1))
        {
            if (at < TimeSpan.FromSeconds(1))
            {
                return string.Create(c, $"{(long)at.TotalMilliseconds} ms");
            }

            var format = step >= TimeSpan.FromMilliseconds(100) ? "0.#" : step >= TimeSpan.FromMilliseconds(10) ? "0.##" : "0.###";
            return at.TotalSeconds.ToString(format, c) + " s";
        }

        if (at < TimeSpan.FromMinutes(1))
        {
            return string.Create(c, $"{(long)at.TotalSeconds} s");
        }

        if (at < TimeSpan.FromHours(1))
        {
            return at.Seconds == 0 ? string.Create(c, $"{(long)at.TotalMinutes} min") : string.Create(c, $"{(long)at.TotalMinutes} min {at.Seconds:00} s");
        }

        return at.Minutes == 0 && at.Seconds == 0
            ? string.Create(c, $"{(long)at.TotalHours} h")
            : at.Seconds == 0
                ? string.Create(c, $"{(long)at.TotalHours} h {at.Minutes:00} min")
                : string.Create(c, $"{(long)at.TotalHours} h {at.Minutes:00} min {at.Seconds:00} s");
    }
}
