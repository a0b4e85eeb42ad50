using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// Base of every test that touches the database: starts each test on an empty, migrated database and offers
/// small builders for the rows most tests need. Builders save in their own context and return the detached
/// entity with only foreign-key ids set, so it can be passed to the next builder or attached elsewhere.
/// </summary>
[Collection(DatabaseCollection.Name)]
public abstract class DatabaseTest(SqliteDatabaseFixture database) : IAsyncLifetime
{
    protected SqliteDatabaseFixture Database { get; } = database;

    protected IDbContextFactory<ShaveTrackerDbContext> Factory => Database.Factory;

    public virtual Task InitializeAsync() => Database.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected Task<ShaveTrackerDbContext> NewContextAsync() => Factory.CreateDbContextAsync();

    /// <summary>Saves the entities in one new context and returns the first.</summary>
    protected async Task<TEntity> InsertAsync<TEntity>(TEntity entity, params object[] more)
        where TEntity : class
    {
        await using var db = await NewContextAsync();
        db.Add(entity);
        db.AddRange(more);
        await db.SaveChangesAsync();
        return entity;
    }

    protected Task<User> CreateUserAsync(
        string displayName = "Ada Lovelace",
        AuthProvider authProvider = AuthProvider.Microsoft) =>
        InsertAsync(new User
        {
            Id = Ids.NewId(),
            AuthProvider = authProvider,
            DisplayName = displayName,
            CreatedAt = DateTime.UtcNow,
        });

    protected Task<VideoFile> CreateVideoFileAsync(
        string fileName = "recording.mp4",
        string? fileHash = null,
        int durationSeconds = 90) =>
        InsertAsync(new VideoFile
        {
            Id = Ids.NewId(),
            FileName = fileName,
            FilePath = $"/recordings/{fileName}",
            FileHash = fileHash,
            Duration = durationSeconds,
            CreatedAt = DateTime.UtcNow,
        });

    /// <summary>A project owned by <paramref name="owner"/>, or by a new user.</summary>
    protected async Task<Project> CreateProjectAsync(
        User? owner = null,
        string name = "Northwind backlog",
        bool isActive = true,
        string source = ProjectSources.Remote)
    {
        owner ??= await CreateUserAsync();
        return await InsertAsync(new Project
        {
            Id = Ids.NewId(),
            UserId = owner.Id,
            Name = name,
            BacklogUrl = "https://github.com/northwind/backlog",
            IsActive = isActive,
            Source = source,
            CreatedAt = DateTime.UtcNow,
        });
    }

    /// <summary>A shave; the requester and the video file are created when not given. No project unless given.</summary>
    protected async Task<Shave> CreateShaveAsync(
        User? requester = null,
        Project? project = null,
        VideoFile? videoFile = null,
        string title = "Login button does nothing on Safari",
        ShaveStatus status = ShaveStatus.Pending,
        DateTime? createdAt = null)
    {
        requester ??= await CreateUserAsync();
        videoFile ??= await CreateVideoFileAsync();
        return await InsertAsync(new Shave
        {
            Id = Ids.NewId(),
            Title = title,
            VideoFileId = videoFile.Id,
            RequesterId = requester.Id,
            ProjectId = project?.Id,
            ShaveStatus = status,
            WorkItemSource = "GitHub",
            CreatedAt = createdAt ?? DateTime.UtcNow,
        });
    }
}
