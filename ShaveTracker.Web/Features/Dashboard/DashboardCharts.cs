using System.Globalization;
using MudBlazor;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Dashboard;

/// <summary>Turns the dashboard's totals into MudBlazor chart series. Nothing here counts: the database already did.</summary>
public static class DashboardCharts
{
    /// <summary>Status colours, the same hues as <c>ShaveStatusChip</c> (MudBlazor's default palette).</summary>
    public static string ColorOf(ShaveStatus status) => status switch
    {
        ShaveStatus.Completed => "#00c853",
        ShaveStatus.Failed => "#f44336",
        ShaveStatus.Processing => "#2196f3",
        ShaveStatus.Pending => "#ff9800",
        ShaveStatus.Cancelled => "#616161",
        _ => "#bdbdbd",
    };

    /// <summary>Finished first, then in flight: the stack reads bottom-up as the pipeline's outcome.</summary>
    public static readonly IReadOnlyList<ShaveStatus> StackOrder =
        [ShaveStatus.Completed, ShaveStatus.Failed, ShaveStatus.Cancelled, ShaveStatus.Processing, ShaveStatus.Pending, ShaveStatus.Unknown];

    /// <summary>One series per status that occurs in the window (so the legend lists only those), one value per day.</summary>
    public static (List<ChartSeries<double>> Series, string[] Palette, IReadOnlyList<ShaveStatus> Statuses) PerDayByStatus(
        DashboardWindow window, IReadOnlyList<DayStatusTotal> perDay)
    {
        var statuses = StackOrder.Where(s => perDay.Any(d => d.Status == s && d.Total > 0)).ToList();
        var series = statuses.Select(status => new ChartSeries<double>
        {
            Name = status.ToString(),
            Data = new ChartData<double>(window.Days
                .Select(day => (double)perDay.Where(d => d.Day == day && d.Status == status).Sum(d => d.Total))
                .ToList()),
        }).ToList();
        return (series, statuses.Select(ColorOf).ToArray(), statuses);
    }

    /// <summary>
    /// Day labels for every <paramref name="every"/>-th day counted back from the last (so today always has one), the
    /// others blank so that they do not overlap; a label names the month when it differs from the previous label's.
    /// </summary>
    public static string[] DayLabels(DashboardWindow window, int every)
    {
        var days = window.Days;
        var labels = new string[days.Count];
        int? month = null;
        for (var i = 0; i < days.Count; i++)
        {
            if ((days.Count - 1 - i) % every != 0)
            {
                labels[i] = "";
                continue;
            }

            labels[i] = days[i].Month == month
                ? days[i].Day.ToString(CultureInfo.InvariantCulture)
                : days[i].ToString("MMM d", CultureInfo.InvariantCulture);
            month = days[i].Month;
        }

        return labels;
    }

    private static readonly int[] NiceMultiples = [1, 2, 5, 10];

    /// <summary>
    /// The step between the count axis's ticks: whole numbers, at most <paramref name="maxTicks"/> of them up to
    /// <paramref name="max"/> (1, 2, 5, 10, 20, 50…), so four shaves read 0 to 4 and not 0 to 20.
    /// </summary>
    public static int CountStep(double max, int maxTicks = 5)
    {
        var raw = Math.Max(1, max) / maxTicks;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = NiceMultiples.Select(m => m * magnitude).First(m => m >= raw);
        return (int)Math.Max(1, Math.Round(step));
    }

    /// <summary>The most shaves of one day: the top of a per-day stacked chart.</summary>
    public static long BusiestDay(IReadOnlyList<DayStatusTotal> perDay) =>
        perDay.Count == 0 ? 0 : perDay.GroupBy(d => d.Day).Max(g => g.Sum(d => d.Total));

    /// <summary>Options of a stacked per-day count chart: whole-number ticks spaced for the busiest day.</summary>
    public static StackedBarChartOptions CountOptions(string[] palette, IReadOnlyList<DayStatusTotal> perDay) => new()
    {
        ChartPalette = palette,
        YAxisTitle = "shaves",
        ShowZeroValues = false,
        YAxisTicks = CountStep(BusiestDay(perDay)),
        MaxNumYAxisTicks = 6,
        YAxisToStringFunc = v => v.ToString("0", CultureInfo.InvariantCulture),
    };

    /// <summary>The longest axis label: longer names end in "…" (the table under the chart has them whole).</summary>
    public const int MaxLabelLength = 16;

    /// <summary>A name short enough for a slanted axis label.</summary>
    public static string AxisLabel(string name) => name.Length <= MaxLabelLength ? name : name[..(MaxLabelLength - 1)] + "…";

    public static ChartSeries<double> Percent(string name, IReadOnlyList<double?> rates) => new()
    {
        Name = name,
        Data = new ChartData<double>(rates.Select(r => r * 100).ToList()),
    };

    /// <summary>p50 and p95 in seconds, one bar pair per name.</summary>
    public static List<ChartSeries<double>> Percentiles(IReadOnlyList<DurationPercentiles> rows) =>
    [
        new() { Name = "p50", Data = new ChartData<double>(rows.Select(r => r.P50Ms / 1000d).ToList()) },
        new() { Name = "p95", Data = new ChartData<double>(rows.Select(r => r.P95Ms / 1000d).ToList()) },
    ];

    /// <summary>A duration for a table cell, in the app's one format (<see cref="Format.Elapsed"/>).</summary>
    public static string Ms(long ms) => Format.Elapsed(TimeSpan.FromMilliseconds(ms));

    public static string Rate(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
