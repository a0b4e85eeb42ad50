using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Projects;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Projects;

/// <summary>The edit form against the real service and database: the server's errors land next to their fields.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class ProjectEditPageTests : BunitContext, IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database;

    public ProjectEditPageTests(SqliteDatabaseFixture database)
    {
        _database = database;
        // MudBlazor's components and the page's prompt module call JS; none of it matters to these tests.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddComponentHost(database.Factory).AddProjectsFeature();
    }

    public Task InitializeAsync() => _database.ResetAsync();

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public async Task Server_validation_errors_are_shown_next_to_their_fields_and_nothing_is_saved()
    {
        var staff = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = "Sam Staff", CreatedAt = DateTime.UtcNow };
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            db.Users.Add(staff);
            await db.SaveChangesAsync();
        }

        var auth = AddAuthorization();
        auth.SetAuthorized("Sam Staff");
        auth.SetRoles(Roles.Staff);
        auth.SetClaims(new Claim(ClaimNames.UserId, staff.Id.ToString()), new Claim(ClaimNames.Name, staff.DisplayName));
        Render<MudPopoverProvider>();

        var cut = Render<ProjectEditPage>();
        cut.WaitForElement("[data-testid=project-form]");
        cut.Find("input[data-testid=edit-backlog-url]").Input("javascript:alert(1)");
        cut.Find("button[data-testid=save-project]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Give the project a name.", FieldOf(cut.Find("input[data-testid=edit-name]")).TextContent, StringComparison.Ordinal);
            Assert.Contains("https://github.com/owner/repo", FieldOf(cut.Find("input[data-testid=edit-backlog-url]")).TextContent, StringComparison.Ordinal);
        });
        // Each message belongs to its own field only.
        Assert.DoesNotContain("github.com/owner/repo", FieldOf(cut.Find("input[data-testid=edit-name]")).TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Give the project a name.", FieldOf(cut.Find("input[data-testid=edit-backlog-url]")).TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.Find("[data-testid=error-custom-prompt]").TextContent.Trim());

        await using var check = await _database.Factory.CreateDbContextAsync();
        Assert.Empty(await check.Projects.ToListAsync());
    }

    /// <summary>The MudBlazor control around an input: the input, its label and its helper or error text.</summary>
    private static IElement FieldOf(IElement input) =>
        input.Closest(".mud-input-control") ?? throw new InvalidOperationException("The input is not inside a MudBlazor field.");
}
