using System.Globalization;

namespace ShaveTracker.Web.Shared;

public static class Format
{
    /// <summary>Seconds as m:ss (or h:mm:ss), as a video player shows a length.</summary>
    public static string Duration(int seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}");
    }

    /// <summary>A step or call length: 850 ms, 12.4 s, 3 min 05 s, 3 h 23 min.</summary>
    public static string Elapsed(TimeSpan span)
    {
        if (span.TotalSeconds < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMilliseconds} ms");
        }

        if (span.TotalHours >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min");
        }

        return span.TotalMinutes < 1
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s");
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
