namespace ShaveTracker.Data.Entities;

/// <summary>
/// Rows whose <c>updated_at</c> is their optimistic-concurrency token. The context stamps it on every save, so a
/// stale copy's UPDATE matches no row on either provider (a SQL Server rowversion would do nothing on SQLite).
/// </summary>
public interface IConcurrencyAware
{
    DateTime? UpdatedAt { get; set; }
}
