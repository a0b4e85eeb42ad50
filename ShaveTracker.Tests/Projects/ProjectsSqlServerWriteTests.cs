using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Projects;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Projects;

/// <summary>
/// The SQL Server SQL of the staff's changes to projects (create, edit, deactivate, reactivate), as EF Core's SQL
/// Server provider generates it for the change sets the service really makes.
/// </summary>
public sealed class ProjectsSqlServerWriteTests(SqliteDatabaseFixture database) : SqlServerWriteTest(database)
{
    private ProjectsService Service => new(RecordingFactory, TimeProvider.System, NullLogger<ProjectsService>.Instance);

    private static Caller Staff(User u) => new(u.Id, u.DisplayName, IsStaff: true, IsAdmin: false);

    [Fact]
    public async Task Create_edit_deactivate_and_reactivate_write_the_project_row_under_its_concurrency_token()
    {
        var staff = await CreateUserAsync("Stan");
        var owner = await CreateUserAsync("Olga");
        var edit = new ProjectEdit("Storefront Web", "Customer-facing shop", "https://github.com/contoso/storefront-web", ProjectSources.Remote,
            "You write GitHub issues.", owner.Id, null);
        ProjectDetail? project = null;

        var created = await SaveAndAssertSqlServerWritesAsync(async () => project = Succeeded(await Service.CreateAsync(Staff(staff), edit, default)));
        var edited = await SaveAndAssertSqlServerWritesAsync(async () => project = Succeeded(await Service.UpdateAsync(Staff(staff), project!.Id,
            edit with { Name = "Storefront", CustomPrompt = new string('p', 100_000), ExpectedUpdatedAt = project.UpdatedAt }, default)));
        var editSql = Assert.Single(Recorder.Commands).Sql;
        var deactivated = await SaveAndAssertSqlServerWritesAsync(async () =>
            project = Succeeded(await Service.DeactivateAsync(Staff(staff), project!.Id, project.UpdatedAt, default)));
        var reactivated = await SaveAndAssertSqlServerWritesAsync(async () =>
            Succeeded(await Service.ReactivateAsync(Staff(staff), project!.Id, project.UpdatedAt, default)));

        AssertWrites(created, "INSERT projects");
        AssertWrites(edited, "UPDATE projects");
        AssertWrites(deactivated, "UPDATE projects");
        AssertWrites(reactivated, "UPDATE projects");
        // projects has no trigger: the row count comes back as OUTPUT 1, and a stale version matches no row.
        Assert.Contains("OUTPUT 1", editSql, StringComparison.Ordinal);
        Assert.Contains("AND [updated_at] IS NULL", editSql, StringComparison.Ordinal);
    }

    private static ProjectDetail Succeeded(CommandResult<ProjectDetail> result)
    {
        Assert.True(result.Outcome == CommandOutcome.Succeeded, $"{result.Outcome}: {result.Message} {string.Join(", ", result.Errors ?? new Dictionary<string, string>())}");
        return result.Current!;
    }
}
