using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Prices;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Prices;

public sealed class PricesServiceTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero));

    private PricesService Prices => new(Factory, _clock, NullLogger<PricesService>.Instance);

    [Fact]
    public async Task A_new_price_ends_the_one_before_it_on_its_first_day_so_past_calls_keep_their_cost()
    {
        var admin = await AdminAsync();
        Assert.True((await Prices.AddAsync(admin, new NewPrice("GPT-4o*", 2.50, 10.00, new DateOnly(2026, 1, 1)), default)).Succeeded);

        var change = await Prices.AddAsync(admin, new NewPrice("gpt-4o*", 2.00, 8.00, new DateOnly(2026, 6, 1)), default);

        Assert.True(change.Succeeded);
        var rows = await Prices.ListAsync(admin, default);
        // Newest first within a pattern; the pattern is stored as model names are matched, case ignored.
        Assert.Equal(
            [("gpt-4o*", 2.00, new DateOnly(2026, 6, 1), (DateOnly?)null), ("gpt-4o*", 2.50, new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 1))],
            rows.Select(r => (r.Pattern, r.InputUsdPerMillion, r.ValidFrom, r.ValidTo)));
        await using var db = await NewContextAsync();
        var book = await PriceBook.LoadAsync(db, default);
        Assert.Equal(2.50, book.Find("gpt-4o", new DateTime(2026, 5, 31, 23, 59, 0, DateTimeKind.Utc))!.InputUsdPerMillion);
        Assert.Equal(2.00, book.Find("gpt-4o", new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc))!.InputUsdPerMillion);
        Assert.All(await db.ModelPrices.ToListAsync(), p => Assert.Equal(PricePatterns.Like(p.ModelPattern), p.LikePattern));
    }

    [Fact]
    public async Task A_price_set_before_a_later_one_runs_until_the_later_one_starts()
    {
        var admin = await AdminAsync();
        await Prices.AddAsync(admin, new NewPrice("o3-mini", 1.10, 4.40, new DateOnly(2026, 3, 1)), default);

        var earlier = await Prices.AddAsync(admin, new NewPrice("o3-mini", 1.50, 6.00, new DateOnly(2026, 1, 1)), default);

        Assert.True(earlier.Succeeded);
        Assert.Equal(new DateOnly(2026, 3, 1), earlier.Current!.ValidTo);
    }

    [Fact]
    public async Task Deleting_a_price_gives_its_days_back_to_the_price_before_it()
    {
        var admin = await AdminAsync();
        await Prices.AddAsync(admin, new NewPrice("o3-mini", 1.10, 4.40, new DateOnly(2026, 1, 1)), default);
        var later = (await Prices.AddAsync(admin, new NewPrice("o3-mini", 0.90, 3.60, new DateOnly(2026, 6, 1)), default)).Current!;

        Assert.True((await Prices.DeleteAsync(admin, later.Id, default)).Succeeded);

        var row = Assert.Single(await Prices.ListAsync(admin, default));
        Assert.Equal((1.10, (DateOnly?)null), (row.InputUsdPerMillion, row.ValidTo));
        Assert.Equal(CommandOutcome.NotFound, (await Prices.DeleteAsync(admin, later.Id, default)).Outcome);
    }

    [Theory]
    [InlineData("", 1.0, 1.0, "2026-12-01", "pattern", "Enter the model name")]
    [InlineData("gpt 4o", 1.0, 1.0, "2026-12-01", "pattern", "“ ” cannot be part of a model name")]
    [InlineData("gpt-4o", -1.0, 1.0, "2026-12-01", "input", "Between $0 and $10,000 per million tokens")]
    [InlineData("gpt-4o", 1.0, 25_000.0, "2026-12-01", "output", "Between $0 and $10,000 per million tokens")]
    [InlineData("gpt-4o", double.NaN, 1.0, "2026-12-01", "input", "Enter the price in US dollars per million tokens")]
    [InlineData("gpt-4o", 1.0, 1.0, null, "from", "Enter the first day")]
    [InlineData("gpt-4o", 1.0, 1.0, "1999-12-31", "from", "Pick a day between 2000 and five years from now")]
    public async Task A_price_that_cannot_be_right_is_refused_next_to_its_field_and_nothing_is_written(
        string pattern, double input, double output, string? from, string field, string message)
    {
        var admin = await AdminAsync();

        var result = await Prices.AddAsync(admin, new NewPrice(pattern, input, output, from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture)), default);

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.StartsWith(message, result.Errors![field], StringComparison.Ordinal);
        await using var db = await NewContextAsync();
        Assert.Empty(await db.ModelPrices.ToListAsync());
    }

    [Fact]
    public async Task A_second_price_for_the_same_pattern_and_day_is_refused_and_the_first_stays()
    {
        var admin = await AdminAsync();
        await Prices.AddAsync(admin, new NewPrice("gpt-4.1", 2.00, 8.00, Today), default);

        var again = await Prices.AddAsync(admin, new NewPrice("gpt-4.1", 3.00, 9.00, Today), default);

        Assert.Equal(CommandOutcome.Invalid, again.Outcome);
        Assert.Contains("already has a price from 2026-12-04", again.Errors!["from"], StringComparison.Ordinal);
        Assert.Equal(2.00, Assert.Single(await Prices.ListAsync(admin, default)).InputUsdPerMillion);
    }

    [Fact]
    public async Task Only_admins_set_prices_and_an_admin_whose_role_was_removed_is_refused()
    {
        var sam = await CreateUserAsync("Sam Staff");
        var staff = new Caller(sam.Id, sam.DisplayName, IsStaff: true, IsAdmin: false);
        Assert.Equal(CommandOutcome.Forbidden, (await Prices.AddAsync(staff, new NewPrice("gpt-4o", 1, 1, Today), default)).Outcome);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Prices.ListAsync(staff, default));

        // The page still says admin (its sign-in is older than the change); the database no longer does.
        var ada = await CreateUserAsync("Ada Former-Admin");
        var stale = new Caller(ada.Id, ada.DisplayName, IsStaff: false, IsAdmin: true);
        var result = await Prices.AddAsync(stale, new NewPrice("gpt-4o", 1, 1, Today), default);

        Assert.Equal(CommandOutcome.Forbidden, result.Outcome);
        await using var db = await NewContextAsync();
        Assert.Empty(await db.ModelPrices.ToListAsync());
    }

    [Fact]
    public async Task Models_called_lately_without_a_price_today_are_listed_for_the_admin_to_price()
    {
        var admin = await AdminAsync();
        await using (var db = await NewContextAsync())
        {
            db.AiLogDailyStats.AddRange(
                new AiLogDailyStat { Day = Today.AddDays(-2), ModelName = "gpt-4o", Calls = 3 },
                new AiLogDailyStat { Day = Today.AddDays(-2), ModelName = "llama-3.3-70b", Calls = 5 },
                new AiLogDailyStat { Day = Today.AddDays(-40), ModelName = "old-model", Calls = 5 });
            await db.SaveChangesAsync();
        }

        await Prices.AddAsync(admin, new NewPrice("gpt-4o*", 2.5, 10, Today.AddDays(-100)), default);

        Assert.Equal(["llama-3.3-70b"], await Prices.UnpricedModelsAsync(admin, default));
    }

    private async Task<Caller> AdminAsync()
    {
        var user = await CreateUserAsync("Ada Admin");
        await using var db = await NewContextAsync();
        db.UserRoles.Add(new UserRole { UserId = user.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return new Caller(user.Id, user.DisplayName, IsStaff: false, IsAdmin: true);
    }
}
