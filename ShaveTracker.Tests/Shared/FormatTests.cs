using ShaveTracker.Web.Features.Dashboard;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shared;

public sealed class FormatTests
{
    [Theory]
    [InlineData(0, "0 ms")]
    [InlineData(1, "1 ms")]
    [InlineData(850, "850 ms")]
    [InlineData(999.9, "999 ms")]
    [InlineData(1_000, "1.0 s")]
    [InlineData(12_450, "12.4 s")]
    [InlineData(59_970, "59.9 s")]
    [InlineData(60_000, "1 min 00 s")]
    [InlineData(65_000, "1 min 05 s")]
    [InlineData(3_599_999, "59 min 59 s")]
    [InlineData(3_600_000, "1 h 00 min")]
    [InlineData(12_228_000, "3 h 23 min")] // 203 min 48 s
    [InlineData(93_900_000, "26 h 05 min")]
    [InlineData(-1_500, "-1.5 s")]
    public void A_length_reads_in_the_largest_units_that_keep_it_short(double ms, string expected) =>
        Assert.Equal(expected, Format.Elapsed(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void Video_lengths_and_dashboard_cells_use_the_same_format()
    {
        Assert.Equal("1 min 35 s", Format.Duration(95));
        Assert.Equal("0 ms", Format.Duration(-3));
        Assert.Equal("3 h 23 min", DashboardCharts.Ms(12_228_000));
        Assert.Equal("742 ms", DashboardCharts.Ms(742));
        Assert.Equal("2 min 24 s", DashboardCharts.Ms(144_000));
    }
}
