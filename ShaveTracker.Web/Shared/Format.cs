using System.Globalization;

namespace ShaveTracker.Web.Shared;

public static class Format
{
    /// <summary>A length in whole seconds (a video's), in the one duration format: see <see cref="Elapsed"/>.</summary>
    public static string Duration(int seconds) => Elapsed(TimeSpan.FromSeconds(Math.Max(0, seconds)));

    /// <summary>
    /// The one way the app writes how long something took: 850 ms, 12.4 s, 1 min 05 s, 3 h 23 min (26 h 05 min past a
    /// day). Each unit is cut, never rounded up, so a length never reads longer than it was and 59.97 s stays "59.9 s"
    /// instead of turning into "60.0 s". A negative length (clocks that disagree) reads as its size with a minus sign.
    /// </summary>
    public static string Elapsed(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Elapsed(span.Duration());
        }

        var ms = (long)span.TotalMilliseconds;
        if (ms < 1_000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{ms} ms");
        }

        if (ms < 60_000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{ms / 1_000}.{ms / 100 % 10} s");
        }

        var seconds = ms / 1_000;
        return seconds < 3_600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min {seconds % 60:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3_600} h {seconds / 60 % 60:00} min");
    }

    /// <summary>
    /// How long something has been going on, to the minute, as a sentence says it: "less than a minute", "4 min",
    /// "3 h 05 min", "2 days". A page that shows it re-renders each minute, so seconds would only flicker.
    /// </summary>
    public static string Span(TimeSpan span)
    {
        if (span.TotalMinutes < 1)
        {
            return "less than a minute";
        }

        if (span.TotalHours < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min");
        }

        return span.TotalDays < 2
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} days");
    }

    public static string Utc(DateTime value) => value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Utc(DateTime? value) => value is { } v ? Utc(v) : "—";
}
