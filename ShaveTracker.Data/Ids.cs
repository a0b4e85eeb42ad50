namespace ShaveTracker.Data;

/// <summary>UUID version 7: time-ordered, so new rows sort after old ones and indexes stay append-mostly.</summary>
public static class Ids
{
    public static Guid NewId() => Guid.CreateVersion7();

    public static Guid NewId(DateTimeOffset at) => Guid.CreateVersion7(at);
}
