namespace ShaveTracker.Data.Entities;

/// <summary>Where a shave is in the pipeline. Stored as its name ("Pending", ...).</summary>
public enum ShaveStatus
{
    Unknown,
    Pending,
    Processing,
    Completed,
    Cancelled,
    Failed,
}

/// <summary>State of one process step. Stored in snake_case ("not_started", ...), as the pipeline reports it.</summary>
public enum ProcessStatus
{
    NotStarted,
    InProgress,
    Completed,
    Failed,
    Skipped,
}

/// <summary>How a user signs in. Stored lower case ("microsoft", "local").</summary>
public enum AuthProvider
{
    Microsoft,
    Local,
}

/// <summary>Where a project's prompt lives. Stored lower case ("local", "remote").</summary>
public static class ProjectSources
{
    public const string Local = "local";
    public const string Remote = "remote";

    public static readonly IReadOnlyList<string> All = [Local, Remote];
}
