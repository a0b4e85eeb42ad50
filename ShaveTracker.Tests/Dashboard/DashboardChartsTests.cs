using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Dashboard;

namespace ShaveTracker.Tests.Dashboard;

public sealed class DashboardChartsTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 1)]
    [InlineData(8, 2)]
    [InlineData(12, 5)]
    [InlineData(37, 10)]
    [InlineData(240, 50)]
    [InlineData(1_900, 500)]
    public void Count_axes_step_in_whole_numbers_with_at_most_five_steps_to_the_top(double max, int step)
    {
        Assert.Equal(step, DashboardCharts.CountStep(max));
        Assert.True(Math.Ceiling(Math.Max(1, max) / step) <= 5);
    }

    [Fact]
    public void A_stacked_count_chart_is_scaled_to_its_busiest_day_and_labelled_in_whole_numbers()
    {
        var today = new DateOnly(2026, 11, 20);
        var options = DashboardCharts.CountOptions(["#00c853", "#f44336"],
        [
            new DayStatusTotal(today, ShaveStatus.Completed, 3), new DayStatusTotal(today, ShaveStatus.Failed, 1),
            new DayStatusTotal(today.AddDays(-1), ShaveStatus.Completed, 2),
        ]);

        Assert.Equal(1, options.YAxisTicks);
        Assert.Equal("3", options.YAxisToStringFunc!(3));
    }

    [Theory]
    [InlineData("transcribing", "transcribing")]
    [InlineData("optimizing_transcript", "optimizing_tran…")]
    [InlineData("create_issue (github)", "create_issue (g…")]
    public void Axis_labels_are_cut_to_a_length_that_does_not_run_into_the_next(string name, string label)
    {
        Assert.Equal(label, DashboardCharts.AxisLabel(name));
        Assert.True(label.Length <= DashboardCharts.MaxLabelLength);
    }
}
