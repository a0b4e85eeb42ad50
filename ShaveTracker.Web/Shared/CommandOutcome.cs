namespace ShaveTracker.Web.Shared;

/// <summary>How a change requested by a person ended. Shared by the features that edit records (shaves, projects).</summary>
public enum CommandOutcome
{
    Succeeded,
    NotFound,
    Invalid,
    Conflict,
    Forbidden,
}
