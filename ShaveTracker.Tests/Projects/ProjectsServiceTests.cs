using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Projects;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Projects;

public sealed class ProjectsServiceTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private readonly CapturingLogger<ProjectsService> _log = new();

    private ProjectsService Service => new(Factory, TimeProvider.System, _log);

    private ShavesService Shaves => new(Factory, TestShaveChanges.Writer(), TimeProvider.System, NullLogger<ShavesService>.Instance);

    private static Caller Staff(User u) => new(u.Id, u.DisplayName, IsStaff: true, IsAdmin: false);

    private static Caller Admin(User u) => new(u.Id, u.DisplayName, IsStaff: false, IsAdmin: true);

    private static Caller Requester(User u) => new(u.Id, u.DisplayName, IsStaff: false, IsAdmin: false);

    private static ProjectEdit ValidEdit(User owner, string name = "Storefront Web") =>
        new(name, "Customer-facing shop", "https://github.com/contoso/storefront-web", ProjectSources.Remote, null, owner.Id, null);

    private IReadOnlyList<CapturedLog> AuditEvents => _log.Events.Where(e => e.Message.StartsWith("Audit: ", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task List_shows_each_projects_shaves_counted_by_status()
    {
        var staff = await CreateUserAsync("Stan");
        var alice = await CreateUserAsync("Alice");
        var web = await CreateProjectAsync(alice, "Web");
        var mobile = await CreateProjectAsync(alice, "Mobile", isActive: false);
        var empty = await CreateProjectAsync(alice, "Empty");
        // Web: 2 Failed, 1 Completed, 1 Pending. Mobile: 3 Completed. One Failed shave in no project counts nowhere.
        await CreateShaveAsync(alice, web, status: ShaveStatus.Failed);
        await CreateShaveAsync(alice, web, status: ShaveStatus.Failed);
        await CreateShaveAsync(alice, web, status: ShaveStatus.Completed);
        await CreateShaveAsync(alice, web, status: ShaveStatus.Pending);
        await CreateShaveAsync(alice, mobile, status: ShaveStatus.Completed);
        await CreateShaveAsync(alice, mobile, status: ShaveStatus.Completed);
        await CreateShaveAsync(alice, mobile, status: ShaveStatus.Completed);
        await CreateShaveAsync(alice, status: ShaveStatus.Failed);

        var result = await Service.ListAsync(Staff(staff), new ProjectListQuery(), default);

        Assert.Equal(3, result.TotalCount);
        Assert.Equal(["Empty", "Mobile", "Web"], result.Rows.Select(r => r.Name));
        var byName = result.Rows.ToDictionary(r => r.Name);
        Assert.Equal(new Dictionary<ShaveStatus, int> { [ShaveStatus.Failed] = 2, [ShaveStatus.Completed] = 1, [ShaveStatus.Pending] = 1 },
            byName["Web"].Shaves.ByStatus);
        Assert.Equal(4, byName["Web"].Shaves.Total);
        Assert.Equal(new Dictionary<ShaveStatus, int> { [ShaveStatus.Completed] = 3 }, byName["Mobile"].Shaves.ByStatus);
        Assert.Equal(0, byName["Empty"].Shaves.Total);
        Assert.Equal("Alice", byName["Web"].OwnerName);
        Assert.False(byName["Mobile"].IsActive);
        Assert.Equal(empty.Id, byName["Empty"].Id);

        var detail = await Service.GetAsync(Staff(staff), web.Id, default);
        Assert.Equal(byName["Web"].Shaves.ByStatus, detail!.Shaves.ByStatus);
    }

    [Fact]
    public async Task List_filters_by_activity_and_name_and_pages_in_the_database()
    {
        var staff = await CreateUserAsync("Stan");
        await CreateProjectAsync(staff, "Payments Platform");
        await CreateProjectAsync(staff, "Legacy CRM", isActive: false);
        await CreateProjectAsync(staff, "100% Uptime");
        var caller = Staff(staff);

        Assert.Equal(["Legacy CRM"], (await Service.ListAsync(caller, new ProjectListQuery { Activity = ProjectActivity.Inactive }, default)).Rows.Select(r => r.Name));
        Assert.Equal(2, (await Service.ListAsync(caller, new ProjectListQuery { Activity = ProjectActivity.Active }, default)).TotalCount);
        Assert.Equal(["Payments Platform"], (await Service.ListAsync(caller, new ProjectListQuery { Search = "payments" }, default)).Rows.Select(r => r.Name));
        // LIKE wildcards in the search are literal characters.
        Assert.Equal(["100% Uptime"], (await Service.ListAsync(caller, new ProjectListQuery { Search = "0%" }, default)).Rows.Select(r => r.Name));

        var secondPage = await Service.ListAsync(caller, new ProjectListQuery { PageSize = 2, Page = 1, Sort = ProjectSort.Name, Descending = true }, default);
        Assert.Equal(3, secondPage.TotalCount);
        Assert.Equal(["100% Uptime"], secondPage.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task Create_saves_trimmed_normalised_values_as_an_active_project_and_audits_it()
    {
        var staff = await CreateUserAsync("Stan");
        var owner = await CreateUserAsync("Olga Owner");
        var edit = new ProjectEdit("  Storefront Web  ", "  Shop  ", " https://github.com/contoso/storefront-web/ ", ProjectSources.Local,
            "You write GitHub issues.\n\n  Keep indentation.  ", owner.Id, null);

        var result = await Service.CreateAsync(Staff(staff), edit, default);

        Assert.Equal(CommandOutcome.Succeeded, result.Outcome);
        await using var db = await NewContextAsync();
        var saved = await db.Projects.SingleAsync();
        Assert.Equal(result.Current!.Id, saved.Id);
        Assert.Equal("Storefront Web", saved.Name);
        Assert.Equal("Shop", saved.Description);
        Assert.Equal("https://github.com/contoso/storefront-web", saved.BacklogUrl);
        Assert.Equal(ProjectSources.Local, saved.Source);
        Assert.Equal("You write GitHub issues.\n\n  Keep indentation.  ", saved.CustomPrompt);
        Assert.Equal(owner.Id, saved.UserId);
        Assert.True(saved.IsActive);

        var audit = Assert.Single(AuditEvents);
        Assert.Equal(staff.Id, audit.Values["ActorUserId"]);
        Assert.Equal(saved.Id, audit.Values["ProjectId"]);
        Assert.Equal("created", audit.Values["Change"]);
        var after = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string?>>(audit.Values["After"]);
        Assert.Equal("Storefront Web", after["name"]);
        Assert.Equal($"Olga Owner ({owner.Id})", after["owner"]);
        // The prompt itself never goes into the log: it can be megabytes.
        Assert.StartsWith("47 characters, sha256 ", after["customPrompt"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_saves_and_audits_only_the_fields_that_changed_with_before_and_after()
    {
        var staff = await CreateUserAsync("Stan");
        var owner = await CreateUserAsync("Olga");
        var newOwner = await CreateUserAsync("Nina");
        var created = await Service.CreateAsync(Staff(staff), ValidEdit(owner), default);
        var loaded = (await Service.GetForEditAsync(Staff(staff), created.Current!.Id, default))!;

        var result = await Service.UpdateAsync(Staff(staff), loaded.Id,
            new ProjectEdit(loaded.Name, loaded.Description, "https://dev.azure.com/contoso/Payments", loaded.Source, "Be brief.", newOwner.Id, loaded.UpdatedAt),
            default);

        Assert.Equal(CommandOutcome.Succeeded, result.Outcome);
        Assert.Equal("Nina", result.Current!.OwnerName);
        Assert.Equal("https://dev.azure.com/contoso/Payments", result.Current.BacklogUrl);
        Assert.Equal(9, result.Current.CustomPromptLength);
        Assert.NotNull(result.Current.UpdatedAt);

        var audit = AuditEvents[^1];
        Assert.Equal("updated", audit.Values["Change"]);
        Assert.Equal(staff.Id, audit.Values["ActorUserId"]);
        Assert.Equal(loaded.Id, audit.Values["ProjectId"]);
        var before = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string?>>(audit.Values["Before"]);
        var after = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string?>>(audit.Values["After"]);
        Assert.Equal(["backlogUrl", "customPrompt", "owner"], before.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("https://github.com/contoso/storefront-web", before["backlogUrl"]);
        Assert.Equal("https://dev.azure.com/contoso/Payments", after["backlogUrl"]);
        Assert.Null(before["customPrompt"]);
        Assert.Equal($"Nina ({newOwner.Id})", after["owner"]);
    }

    [Fact]
    public async Task Saving_unchanged_values_writes_and_audits_nothing()
    {
        var staff = await CreateUserAsync("Stan");
        var created = await Service.CreateAsync(Staff(staff), ValidEdit(staff), default);
        var loaded = (await Service.GetForEditAsync(Staff(staff), created.Current!.Id, default))!;

        var result = await Service.UpdateAsync(Staff(staff), loaded.Id,
            new ProjectEdit(loaded.Name, loaded.Description, loaded.BacklogUrl, loaded.Source, loaded.CustomPrompt, loaded.OwnerId, loaded.UpdatedAt), default);

        Assert.Equal(CommandOutcome.Succeeded, result.Outcome);
        Assert.Null(result.Current!.UpdatedAt);
        Assert.Single(AuditEvents);
    }

    [Fact]
    public async Task Deactivated_projects_leave_the_pickers_but_keep_their_shaves_until_reactivated()
    {
        var staff = await CreateUserAsync("Stan");
        var project = await CreateProjectAsync(staff, "Legacy CRM");
        var shave = await CreateShaveAsync(project: project);

        var deactivated = await Service.DeactivateAsync(Staff(staff), project.Id, null, default);

        Assert.Equal(CommandOutcome.Succeeded, deactivated.Outcome);
        Assert.False(deactivated.Current!.IsActive);
        Assert.DoesNotContain(await Shaves.ProjectOptionsAsync(includeInactive: false, default), o => o.Id == project.Id);
        Assert.Contains(await Shaves.ProjectOptionsAsync(includeInactive: true, default), o => o.Id == project.Id);
        await using (var db = await NewContextAsync())
        {
            Assert.Equal(project.Id, (await db.Shaves.SingleAsync(s => s.Id == shave.Id)).ProjectId);
        }

        Assert.Equal(1, deactivated.Current.Shaves.Total);
        var audit = Assert.Single(AuditEvents);
        Assert.Equal("deactivated", audit.Values["Change"]);

        var reactivated = await Service.ReactivateAsync(Staff(staff), project.Id, deactivated.Current.UpdatedAt, default);

        Assert.Equal(CommandOutcome.Succeeded, reactivated.Outcome);
        Assert.True(reactivated.Current!.IsActive);
        Assert.Contains(await Shaves.ProjectOptionsAsync(includeInactive: false, default), o => o.Id == project.Id);
        Assert.Equal(["deactivated", "reactivated"], AuditEvents.Select(e => e.Values["Change"]));
    }

    [Theory]
    [InlineData("Name", "")]
    [InlineData("Name", "   ")]
    [InlineData("Name", "201 characters")]
    [InlineData("Description", "4001 characters")]
    [InlineData("BacklogUrl", "javascript:alert(1)")]
    [InlineData("BacklogUrl", "https://gitlab.com/contoso/storefront")]
    [InlineData("BacklogUrl", "http://github.com/contoso/storefront")]
    [InlineData("BacklogUrl", "https://github.com/contoso")]
    [InlineData("BacklogUrl", "https://github.com/contoso/storefront/issues/12")]
    [InlineData("BacklogUrl", "https://github.com/contoso/storefront?tab=issues")]
    [InlineData("BacklogUrl", "https://github.com@evil.example/contoso/storefront")]
    [InlineData("BacklogUrl", "https://dev.azure.com/contoso")]
    [InlineData("BacklogUrl", "/contoso/storefront")]
    [InlineData("Source", "cloud")]
    [InlineData("Source", "Remote")]
    [InlineData("OwnerId", "nobody")]
    [InlineData("OwnerId", "empty")]
    [InlineData("CustomPrompt", "1000001 characters")]
    public async Task Invalid_values_are_refused_next_to_their_field_and_change_nothing(string field, string value)
    {
        var staff = await CreateUserAsync("Stan");
        var valid = ValidEdit(staff);
        var edit = field switch
        {
            "Name" => valid with { Name = Sized(value) },
            "Description" => valid with { Description = Sized(value) },
            "BacklogUrl" => valid with { BacklogUrl = value },
            "Source" => valid with { Source = value },
            "OwnerId" => valid with { OwnerId = value == "empty" ? Guid.Empty : Guid.NewGuid() },
            "CustomPrompt" => valid with { CustomPrompt = Sized(value) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var result = await Service.CreateAsync(Staff(staff), edit, default);

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Equal([field], result.Errors!.Keys);
        Assert.False(string.IsNullOrWhiteSpace(result.Errors[field]));
        await using var db = await NewContextAsync();
        Assert.Empty(await db.Projects.ToListAsync());
        Assert.Empty(AuditEvents);

        static string Sized(string value) =>
            value.EndsWith(" characters", StringComparison.Ordinal) ? new string('x', int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)) : value;
    }

    [Fact]
    public async Task Limits_themselves_are_allowed()
    {
        var staff = await CreateUserAsync("Stan");
        var edit = ValidEdit(staff, new string('n', ProjectsService.MaxNameLength)) with
        {
            Description = new string('d', ProjectsService.MaxDescriptionLength),
            CustomPrompt = new string('p', ProjectsService.MaxCustomPromptLength),
        };

        var result = await Service.CreateAsync(Staff(staff), edit, default);

        Assert.Equal(CommandOutcome.Succeeded, result.Outcome);
        Assert.Equal(ProjectsService.MaxCustomPromptLength, result.Current!.CustomPromptLength);
        Assert.Equal(ProjectsService.PromptPreviewLength, result.Current.CustomPromptPreview!.Length);
        var forEdit = await Service.GetForEditAsync(Staff(staff), result.Current.Id, default);
        Assert.Equal(ProjectsService.MaxCustomPromptLength, forEdit!.CustomPrompt!.Length);
    }

    [Fact]
    public async Task A_name_used_by_another_project_is_refused_whatever_its_case_or_activity()
    {
        var staff = await CreateUserAsync("Stan");
        var existing = await CreateProjectAsync(staff, "Légacy CRM", isActive: false);
        var other = await CreateProjectAsync(staff, "Web");

        var duplicate = await Service.CreateAsync(Staff(staff), ValidEdit(staff, "  lÉGACY crm "), default);
        Assert.Equal(CommandOutcome.Invalid, duplicate.Outcome);
        Assert.Contains("already a project", duplicate.Errors!["Name"], StringComparison.Ordinal);

        var renameOnto = await Service.UpdateAsync(Staff(staff), other.Id, ValidEdit(staff, "LÉGACY CRM"), default);
        Assert.Equal(CommandOutcome.Invalid, renameOnto.Outcome);
        Assert.Contains("Name", renameOnto.Errors!.Keys);

        // A project may keep its own name, in another case.
        var ownName = await Service.UpdateAsync(Staff(staff), existing.Id, ValidEdit(staff, "LÉGACY CRM"), default);
        Assert.Equal(CommandOutcome.Succeeded, ownName.Outcome);
        Assert.Equal("LÉGACY CRM", ownName.Current!.Name);
    }

    [Fact]
    public async Task A_stale_edit_is_refused_with_the_current_values_and_overwrites_nothing()
    {
        var staff = await CreateUserAsync("Stan");
        var created = await Service.CreateAsync(Staff(staff), ValidEdit(staff, "Original"), default);
        var loadedByBoth = (await Service.GetForEditAsync(Staff(staff), created.Current!.Id, default))!;

        var first = await Service.UpdateAsync(Staff(staff), loadedByBoth.Id,
            ValidEdit(staff, "First editor") with { ExpectedUpdatedAt = loadedByBoth.UpdatedAt }, default);
        Assert.Equal(CommandOutcome.Succeeded, first.Outcome);

        var second = await Service.UpdateAsync(Staff(staff), loadedByBoth.Id,
            ValidEdit(staff, "Second editor") with { Description = "Mine", ExpectedUpdatedAt = loadedByBoth.UpdatedAt }, default);

        Assert.Equal(CommandOutcome.Conflict, second.Outcome);
        Assert.Equal("First editor", second.Current!.Name);
        Assert.Contains("Nothing of yours was saved", second.Message, StringComparison.Ordinal);
        await using var db = await NewContextAsync();
        var saved = await db.Projects.SingleAsync();
        Assert.Equal("First editor", saved.Name);
        Assert.Equal("Customer-facing shop", saved.Description);
        Assert.Equal(["created", "updated"], AuditEvents.Select(e => e.Values["Change"]));
    }

    [Fact]
    public async Task A_stale_deactivation_is_refused()
    {
        var staff = await CreateUserAsync("Stan");
        var created = await Service.CreateAsync(Staff(staff), ValidEdit(staff), default);
        var stale = created.Current!.UpdatedAt;
        await Service.UpdateAsync(Staff(staff), created.Current.Id, ValidEdit(staff, "Renamed") with { ExpectedUpdatedAt = stale }, default);

        var result = await Service.DeactivateAsync(Staff(staff), created.Current.Id, stale, default);

        Assert.Equal(CommandOutcome.Conflict, result.Outcome);
        Assert.True(result.Current!.IsActive);
        Assert.Equal("Renamed", result.Current.Name);
    }

    [Fact]
    public async Task Requesters_are_refused_by_every_method_and_admins_are_not()
    {
        var alice = await CreateUserAsync("Alice");
        var project = await CreateProjectAsync(alice, "Alice's own");
        var requester = Requester(alice);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListAsync(requester, new ProjectListQuery(), default));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.GetAsync(requester, project.Id, default));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.GetForEditAsync(requester, project.Id, default));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.OwnerOptionsAsync(requester, null, default));
        Assert.Equal(CommandOutcome.Forbidden, (await Service.CreateAsync(requester, ValidEdit(alice, "New"), default)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await Service.UpdateAsync(requester, project.Id, ValidEdit(alice, "Renamed"), default)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await Service.DeactivateAsync(requester, project.Id, null, default)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await Service.ReactivateAsync(requester, project.Id, null, default)).Outcome);

        await using (var db = await NewContextAsync())
        {
            var unchanged = await db.Projects.SingleAsync();
            Assert.Equal("Alice's own", unchanged.Name);
            Assert.True(unchanged.IsActive);
        }

        Assert.Empty(AuditEvents);
        Assert.Equal(CommandOutcome.Succeeded, (await Service.DeactivateAsync(Admin(alice), project.Id, null, default)).Outcome);
    }

    [Fact]
    public async Task Missing_projects_are_null_or_not_found()
    {
        var staff = await CreateUserAsync("Stan");
        Assert.Null(await Service.GetAsync(Staff(staff), Guid.NewGuid(), default));
        Assert.Null(await Service.GetForEditAsync(Staff(staff), Guid.NewGuid(), default));
        Assert.Equal(CommandOutcome.NotFound, (await Service.UpdateAsync(Staff(staff), Guid.NewGuid(), ValidEdit(staff), default)).Outcome);
        Assert.Equal(CommandOutcome.NotFound, (await Service.DeactivateAsync(Staff(staff), Guid.NewGuid(), null, default)).Outcome);
    }

    [Fact]
    public async Task Owner_options_find_people_by_name_or_user_name()
    {
        var staff = await CreateUserAsync("Stan Staff");
        await CreateUserAsync("Olga Owner");
        var local = await CreateUserAsync("Olga Owner", AuthProvider.Local);
        await InsertAsync(new LocalAccount { UserId = local.Id, UserName = "olga@example.test", PasswordHash = "x" });

        var byName = await Service.OwnerOptionsAsync(Staff(staff), "olga", default);
        Assert.Equal(2, byName.Count);
        // Namesakes are told apart by their user name or provider.
        Assert.Equal(["Microsoft account", "olga@example.test"], byName.Select(o => o.Detail).Order(StringComparer.Ordinal));

        Assert.Equal(local.Id, Assert.Single(await Service.OwnerOptionsAsync(Staff(staff), "example.test", default)).Id);
        Assert.Equal(3, (await Service.OwnerOptionsAsync(Staff(staff), null, default)).Count);
    }

    [Fact]
    public async Task The_list_never_reads_custom_prompt_and_the_detail_reads_only_its_length_and_opening()
    {
        await using var db = SqlServerScript.CreateContext();
        var listSql = ProjectsService.ListQuery(db, new ProjectListQuery()).ToQueryString();
        Assert.DoesNotContain("custom_prompt", listSql, StringComparison.Ordinal);

        var detailSql = ProjectsService.DetailQuery(db, Guid.NewGuid()).ToQueryString();
        Assert.Contains("SUBSTRING([p].[custom_prompt]", detailSql, StringComparison.Ordinal);
        Assert.Contains("LEN([p].[custom_prompt])", detailSql, StringComparison.Ordinal);
        // Every other mention is a null check, never the column itself in the select list.
        var bare = System.Text.RegularExpressions.Regex.Matches(detailSql, @"\[p\]\.\[custom_prompt\](?!\s+IS\s)")
            .Count(m => !detailSql[..m.Index].EndsWith("SUBSTRING(", StringComparison.Ordinal) && !detailSql[..m.Index].EndsWith("LEN(", StringComparison.Ordinal));
        Assert.Equal(0, bare);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task List_counts_detail_and_edit_queries_translate_to_sql_server_sql_that_parses()
    {
        await using var db = SqlServerScript.CreateContext();
        var query = new ProjectListQuery { Search = "50%_off", Activity = ProjectActivity.Active, Sort = ProjectSort.Updated, Descending = true, Page = 2 };
        foreach (var sort in Enum.GetValues<ProjectSort>())
        {
            SqlServerScript.AssertParses(ProjectsService.ListQuery(db, query with { Sort = sort }).ToQueryString());
        }

        SqlServerScript.AssertParses(ProjectsService.Filter(db.Projects, query).Select(p => p.Id).ToQueryString());
        var countsSql = ProjectsService.CountsQuery(db, [Guid.NewGuid(), Guid.NewGuid()]).ToQueryString();
        SqlServerScript.AssertParses(countsSql);
        Assert.Contains("GROUP BY", countsSql, StringComparison.Ordinal);
        SqlServerScript.AssertParses(ProjectsService.DetailQuery(db, Guid.NewGuid()).ToQueryString());
        SqlServerScript.AssertParses(ProjectsService.EditQuery(db, Guid.NewGuid()).ToQueryString());
        await Task.CompletedTask;
    }

    [Fact]
    public void Unknown_and_malformed_url_parameters_fall_back_to_defaults()
    {
        var q = ProjectListUrl.Parse("  crm  ", "sideways", "1", "up", -3, 33);
        Assert.Equal("crm", q.Search);
        Assert.Equal(ProjectActivity.All, q.Activity);
        Assert.Equal(ProjectSort.Name, q.Sort);
        Assert.False(q.Descending);
        Assert.Equal(0, q.Page);
        Assert.Equal(ProjectListQuery.DefaultPageSize, q.PageSize);
    }

    [Fact]
    public void A_view_round_trips_through_its_url()
    {
        var view = new ProjectListQuery { Search = "crm & co", Activity = ProjectActivity.Inactive, Sort = ProjectSort.Owner, Descending = true, Page = 2, PageSize = 50 };
        var url = ProjectListUrl.ToQueryString(view);
        var query = System.Web.HttpUtility.ParseQueryString(url);
        var back = ProjectListUrl.Parse(query["q"], query["show"], query["sort"], query["dir"],
            int.Parse(query["page"]!, System.Globalization.CultureInfo.InvariantCulture), int.Parse(query["size"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(view, back);
        Assert.Equal("", ProjectListUrl.ToQueryString(new ProjectListQuery()));
    }
}
