using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shared;

public sealed class PricingTests
{
    private static readonly DateTime Day1 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("gpt-4o*", "gpt-4o", true)]
    [InlineData("gpt-4o*", "GPT-4o-2024-08-06", true)]
    [InlineData("gpt-4o*", "gpt-4", false)]
    [InlineData("*sonnet*", "claude-sonnet-4-20250514", true)]
    [InlineData("claude-*-4", "claude-opus-4", true)]
    [InlineData("claude-*-4", "claude-opus-4-1", false)]
    [InlineData("o3-mini", "o3-mini", true)]
    [InlineData("o3-mini", "o3-mini-high", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    public void A_pattern_matches_model_names_case_ignored_with_a_star_for_any_characters(string pattern, string model, bool matches) =>
        Assert.Equal(matches, PricePatterns.Matches(pattern, model));

    [Theory]
    [InlineData("gpt-4o_mini*", "gpt-4o\\_mini%")]
    [InlineData("*sonnet*", "%sonnet%")]
    public void The_sql_form_escapes_underscores_and_turns_stars_into_percent(string pattern, string like) =>
        Assert.Equal(like, PricePatterns.Like(pattern));

    [Theory]
    [InlineData("", "Enter the model name")]
    [InlineData("gpt 4o", "“ ” cannot be part of a model name")]
    [InlineData("gpt-4o%", "“%” cannot be part of a model name")]
    public void A_pattern_that_cannot_be_a_model_name_is_refused_with_a_reason(string pattern, string message) =>
        Assert.StartsWith(message, PricePatterns.Problem(pattern), StringComparison.Ordinal);

    [Fact]
    public void The_most_specific_pattern_valid_on_the_calls_day_prices_it()
    {
        var book = new PriceBook(
        [
            new PriceEntry(Guid.NewGuid(), "gpt-4o*", 2.50, 10.00, Day1, Day1.AddDays(10)),
            new PriceEntry(Guid.NewGuid(), "gpt-4o*", 2.00, 8.00, Day1.AddDays(10), null),
            new PriceEntry(Guid.NewGuid(), "gpt-4o-mini*", 0.15, 0.60, Day1, null),
        ]);

        // 1M input and 100k output tokens: $2.50 + $1.00 before the change, $2.00 + $0.80 from its day on.
        Assert.Equal(3.50, book.Cost("gpt-4o-2024-08-06", Day1.AddDays(9).AddHours(23), 1_000_000, 100_000).Usd!.Value, 9);
        Assert.Equal(2.80, book.Cost("gpt-4o-2024-08-06", Day1.AddDays(10), 1_000_000, 100_000).Usd!.Value, 9);
        Assert.Equal(0.21, book.Cost("gpt-4o-mini", Day1.AddDays(3), 1_000_000, 100_000).Usd!.Value, 9);
        // Before any price, an unknown model, or no tokens: no cost.
        Assert.Null(book.Cost("gpt-4o", Day1.AddDays(-1), 1_000, 1_000).Usd);
        Assert.Null(book.Cost("llama-3", Day1.AddDays(3), 1_000, 1_000).Usd);
        Assert.Equal(TokenCost.None, book.Cost("gpt-4o", Day1.AddDays(3), null, null));
        // One count unknown: the known one is priced.
        Assert.Equal(2.00, book.Cost("gpt-4o", Day1.AddDays(30), 1_000_000, null).Usd!.Value, 9);
    }

    [Theory]
    [InlineData(0, "$0")]
    [InlineData(0.00004, "< $0.0001")]
    [InlineData(0.0042, "$0.0042")]
    [InlineData(12.345, "$12.35")]
    [InlineData(1234.5, "$1,234.50")]
    public void Costs_read_as_people_read_dollars(double usd, string shown) => Assert.Equal(shown, PricePatterns.Usd(usd));
}
