namespace ShaveTracker.Data;

/// <summary>
/// UUID version 7: time-ordered, so new rows sort after old ones (as text on SQLite). SQL Server's uniqueidentifier
/// compares the last bytes first, so there the order is stable but not by time; lists never sort by id alone.
/// </summary>
public static class Ids
{
    public static Guid NewId() => Guid.CreateVersion7();

    public static Guid NewId(DateTimeOffset at) => Guid.CreateVersion7(at);
}
