using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Projects;

// Creating, editing, deactivating and reactivating a project: validated, saved with a concurrency check, audited.
public sealed partial class ProjectsService
{
    // ---- Changes --------------------------------------------------------------------------------------------

    public async Task<CommandResult<ProjectDetail>> CreateAsync(Caller caller, ProjectEdit edit, CancellationToken ct)
    {
        if (!caller.CanManageProjects)
        {
            return Forbidden;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var (errors, clean) = await ValidateAsync(db, edit, projectId: null, ct);
        if (errors.Count > 0)
        {
            return new CommandResult<ProjectDetail>(CommandOutcome.Invalid, errors);
        }

        var project = new Project
        {
            Id = Ids.NewId(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            IsActive = true,
        };
        Apply(project, clean);
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);

        LogProjectChanged(logger, caller.UserId, project.Id, project.Name, "created", new Dictionary<string, string?>(),
            Snapshot(project, clean.OwnerName));
        return new CommandResult<ProjectDetail>(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, project.Id, ct));
    }

    public async Task<CommandResult<ProjectDetail>> UpdateAsync(Caller caller, Guid id, ProjectEdit edit, CancellationToken ct)
    {
        if (!caller.CanManageProjects)
        {
            return Forbidden;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null)
        {
            return new CommandResult<ProjectDetail>(CommandOutcome.NotFound, Message: "This project no longer exists.");
        }

        var (errors, clean) = await ValidateAsync(db, edit, id, ct);
        if (errors.Count > 0)
        {
            return new CommandResult<ProjectDetail>(CommandOutcome.Invalid, errors);
        }

        // The version the editor loaded, not the one just read: a stale copy then updates no row.
        db.Entry(project).Property(p => p.UpdatedAt).OriginalValue = edit.ExpectedUpdatedAt;
        var ownerName = await db.Users.AsNoTracking().Where(u => u.Id == project.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        var before = Snapshot(project, ownerName);
        Apply(project, clean);
        var after = Snapshot(project, clean.OwnerName);
        var changed = before.Keys.Where(k => before[k] != after[k]).ToList();
        if (changed.Count == 0)
        {
            return new CommandResult<ProjectDetail>(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, id, ct));
        }

        var conflict = await SaveOrConflictAsync(db, id, ct);
        if (conflict is not null)
        {
            return conflict;
        }

        LogProjectChanged(logger, caller.UserId, id, project.Name, "updated",
            changed.ToDictionary(k => k, k => before[k]), changed.ToDictionary(k => k, k => after[k]));
        return new CommandResult<ProjectDetail>(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, id, ct));
    }

    /// <summary>Hides the project from pickers; its shaves keep it.</summary>
    public Task<CommandResult<ProjectDetail>> DeactivateAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt, CancellationToken ct) =>
        SetActiveAsync(caller, id, active: false, expectedUpdatedAt, ct);

    public Task<CommandResult<ProjectDetail>> ReactivateAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt, CancellationToken ct) =>
        SetActiveAsync(caller, id, active: true, expectedUpdatedAt, ct);

    private async Task<CommandResult<ProjectDetail>> SetActiveAsync(Caller caller, Guid id, bool active, DateTime? expectedUpdatedAt, CancellationToken ct)
    {
        if (!caller.CanManageProjects)
        {
            return Forbidden;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null)
        {
            return new CommandResult<ProjectDetail>(CommandOutcome.NotFound, Message: "This project no longer exists.");
        }

        if (project.IsActive == active)
        {
            // Someone else already did it: nothing to change, nothing to audit.
            return new CommandResult<ProjectDetail>(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, id, ct));
        }

        db.Entry(project).Property(p => p.UpdatedAt).OriginalValue = expectedUpdatedAt;
        project.IsActive = active;
        var conflict = await SaveOrConflictAsync(db, id, ct);
        if (conflict is not null)
        {
            return conflict;
        }

        LogProjectChanged(logger, caller.UserId, id, project.Name, active ? "reactivated" : "deactivated",
            new Dictionary<string, string?> { [Fields.IsActive] = Bool(!active) },
            new Dictionary<string, string?> { [Fields.IsActive] = Bool(active) });
        return new CommandResult<ProjectDetail>(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, id, ct));
    }

    // ---- Helpers --------------------------------------------------------------------------------------------

    private static readonly CommandResult<ProjectDetail> Forbidden =
        new(CommandOutcome.Forbidden, Message: "Only staff can manage projects.");

    /// <summary>Saves; on a stale version returns the conflict (with the current values) instead of throwing.</summary>
    private async Task<CommandResult<ProjectDetail>?> SaveOrConflictAsync(ShaveTrackerDbContext db, Guid id, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await factory.CreateDbContextAsync(ct);
            var current = await LoadDetailAsync(fresh, id, ct);
            return current is null
                ? new CommandResult<ProjectDetail>(CommandOutcome.NotFound, Message: "This project was deleted while you were editing it.")
                : new CommandResult<ProjectDetail>(CommandOutcome.Conflict, Current: current,
                    Message: "Someone else saved this project while you were editing it. Nothing of yours was saved: review their values and apply your changes again.");
        }
    }

    /// <summary>An edit that passed validation, trimmed and normalised, with the owner's name for the audit.</summary>
    internal sealed record CleanEdit(string Name, string? Description, string? BacklogUrl, string Source, string? CustomPrompt, Guid OwnerId, string OwnerName);

    internal static async Task<(Dictionary<string, string> Errors, CleanEdit Clean)> ValidateAsync(
        ShaveTrackerDbContext db, ProjectEdit edit, Guid? projectId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();

        var name = edit.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors[nameof(ProjectEdit.Name)] = "Give the project a name.";
        }
        else if (name.Length > MaxNameLength)
        {
            errors[nameof(ProjectEdit.Name)] = $"Keep the name under {MaxNameLength} characters (it has {name.Length}).";
        }
        else
        {
            // Compared in .NET, not SQL: SQLite's lower()/LIKE fold ASCII only, and the rule must be the same on both
            // providers. Projects are a short curated list, and only their names are read.
            var others = await db.Projects.AsNoTracking().Where(p => p.Id != projectId).Select(p => p.Name).ToListAsync(ct);
            if (others.Any(n => string.Equals(n.Trim(), name, StringComparison.OrdinalIgnoreCase)))
            {
                errors[nameof(ProjectEdit.Name)] = $"There is already a project called “{name}”. Choose another name.";
            }
        }

        var description = string.IsNullOrWhiteSpace(edit.Description) ? null : edit.Description.Trim();
        if (description?.Length > MaxDescriptionLength)
        {
            errors[nameof(ProjectEdit.Description)] = $"Keep the description under {MaxDescriptionLength:N0} characters (it has {description.Length:N0}).";
        }

        string? backlogUrl = null;
        if (!string.IsNullOrWhiteSpace(edit.BacklogUrl))
        {
            var (link, error) = BacklogUrls.Check(edit.BacklogUrl);
            if (error is not null)
            {
                errors[nameof(ProjectEdit.BacklogUrl)] = error;
            }

            backlogUrl = link?.Url;
        }

        if (!ProjectSources.All.Contains(edit.Source ?? "", StringComparer.Ordinal))
        {
            errors[nameof(ProjectEdit.Source)] = "Choose where the prompt lives: local or remote.";
        }

        // The prompt is kept exactly as typed (whitespace can matter to a model); only an empty one means "none".
        var prompt = string.IsNullOrWhiteSpace(edit.CustomPrompt) ? null : edit.CustomPrompt;
        if (prompt?.Length > MaxCustomPromptLength)
        {
            errors[nameof(ProjectEdit.CustomPrompt)] =
                $"Keep the custom prompt under {MaxCustomPromptLength.ToString("N0", CultureInfo.InvariantCulture)} characters (it has {prompt.Length.ToString("N0", CultureInfo.InvariantCulture)}).";
        }

        var ownerName = edit.OwnerId == Guid.Empty
            ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == edit.OwnerId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        if (ownerName is null)
        {
            errors[nameof(ProjectEdit.OwnerId)] = edit.OwnerId == Guid.Empty ? "Choose the project's owner." : "That person no longer exists: choose another owner.";
        }

        return (errors, new CleanEdit(name, description, backlogUrl, edit.Source ?? "", prompt, edit.OwnerId, ownerName ?? ""));
    }

    private static void Apply(Project project, CleanEdit edit)
    {
        project.Name = edit.Name;
        project.Description = edit.Description;
        project.BacklogUrl = edit.BacklogUrl;
        project.Source = edit.Source;
        project.CustomPrompt = edit.CustomPrompt;
        project.UserId = edit.OwnerId;
    }

    /// <summary>Field names used in audit events.</summary>
    private static class Fields
    {
        public const string Name = "name";
        public const string Description = "description";
        public const string BacklogUrl = "backlogUrl";
        public const string Source = "source";
        public const string Owner = "owner";
        public const string CustomPrompt = "customPrompt";
        public const string IsActive = "isActive";
    }

    /// <summary>The audited values. The prompt is summarised (length and hash): it can be megabytes.</summary>
    private static Dictionary<string, string?> Snapshot(Project p, string? ownerName) => new()
    {
        [Fields.Name] = p.Name,
        [Fields.Description] = p.Description,
        [Fields.BacklogUrl] = p.BacklogUrl,
        [Fields.Source] = p.Source,
        [Fields.Owner] = $"{ownerName} ({p.UserId})",
        [Fields.CustomPrompt] = SummarisePrompt(p.CustomPrompt),
        [Fields.IsActive] = Bool(p.IsActive),
    };

    internal static string? SummarisePrompt(string? prompt) =>
        prompt is null
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{prompt.Length} characters, sha256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))[..16]}");

    private static string Bool(bool value) => value ? "true" : "false";
}
