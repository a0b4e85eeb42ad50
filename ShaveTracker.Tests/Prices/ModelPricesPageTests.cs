using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Prices;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Prices;

/// <summary>The prices page against the real service and database.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class ModelPricesPageTests : BunitContext, IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database;

    public ModelPricesPageTests(SqliteDatabaseFixture database)
    {
        _database = database;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddComponentHost(database.Factory, new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero))).AddPricesFeature();
    }

    public Task InitializeAsync() => _database.ResetAsync();

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public async Task A_price_typed_wrong_is_refused_next_to_its_field_and_a_right_one_is_listed_from_today()
    {
        await SignInAsAdminAsync();
        Render<MudPopoverProvider>();
        var cut = Render<ModelPricesPage>();
        cut.WaitForElement("[data-testid=price-form]");
        Assert.Equal("2026-12-04", cut.Find("input[data-testid=price-from]").GetAttribute("value"));

        cut.Find("input[data-testid=price-pattern]").Input("gpt-4o*");
        cut.Find("input[data-testid=price-input]").Input("two fifty");
        cut.Find("input[data-testid=price-output]").Input("10");
        cut.Find("button[data-testid=price-add]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Enter the price in US dollars per million tokens",
            FieldOf(cut.Find("input[data-testid=price-input]")).TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("US dollars", FieldOf(cut.Find("input[data-testid=price-output]")).TextContent, StringComparison.Ordinal);
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            Assert.Empty(await db.ModelPrices.ToListAsync());
        }

        cut.Find("input[data-testid=price-input]").Input("$2.50");
        cut.Find("button[data-testid=price-add]").Click();

        cut.WaitForAssertion(() => Assert.Equal("gpt-4o*", cut.Find("[data-testid=price-row-pattern]").TextContent));
        Assert.Equal("$2.50", cut.Find("[data-testid=price-row-input]").TextContent);
        Assert.Equal("2026-12-04", cut.Find("[data-testid=price-row-from]").TextContent);
        Assert.Equal("now", cut.Find("[data-testid=price-row-state]").TextContent);
        Assert.DoesNotContain("US dollars", FieldOf(cut.Find("input[data-testid=price-input]")).TextContent, StringComparison.Ordinal);
    }

    private async Task SignInAsAdminAsync()
    {
        var ada = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = "Ada Admin", CreatedAt = DateTime.UtcNow };
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            db.Users.Add(ada);
            db.UserRoles.Add(new UserRole { UserId = ada.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var auth = AddAuthorization();
        auth.SetAuthorized(ada.DisplayName);
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimNames.UserId, ada.Id.ToString()), new Claim(ClaimNames.Name, ada.DisplayName));
    }

    private static IElement FieldOf(IElement input) =>
        input.Closest(".mud-input-control") ?? throw new InvalidOperationException("The input is not inside a MudBlazor field.");
}
