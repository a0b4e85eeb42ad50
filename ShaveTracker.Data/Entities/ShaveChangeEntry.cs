namespace ShaveTracker.Data.Entities;

/// <summary>
/// shave_changes: the change feed that carries "shave X changed" from the instance that wrote the change to every
/// other instance on the same database. Each instance polls it by <see cref="Id"/> and prunes rows older than a
/// retention period; nothing else reads it.
/// </summary>
/// <remarks>
/// No foreign key to <c>shaves</c>: a "deleted" change must outlive its shave, and the feed must not add a lookup
/// to every write. <see cref="Kind"/> is a name rather than a number so that an older instance meeting a kind it
/// does not know (during a rolling deploy) can still treat it as a plain update.
/// </remarks>
public sealed class ShaveChangeEntry
{
    /// <summary>Assigned by the database (identity on SQL Server, AUTOINCREMENT on SQLite): never reused.</summary>
    public long Id { get; set; }

    public Guid ShaveId { get; set; }

    public string Kind { get; set; } = "";

    public DateTime ChangedAt { get; set; }

    /// <summary>The instance that wrote the change and already told its own pages.</summary>
    public Guid OriginInstance { get; set; }
}
