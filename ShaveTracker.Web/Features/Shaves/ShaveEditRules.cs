using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>What a staff edit must be: a pure function of the edit (the project's state is checked by the service).</summary>
public static class ShaveEditRules
{
    public static Dictionary<string, string> Validate(ShaveEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(edit.Title))
        {
            errors[nameof(ShaveEdit.Title)] = "Give the shave a title.";
        }
        else if (edit.Title.Trim().Length > Shave.TitleMaxLength)
        {
            errors[nameof(ShaveEdit.Title)] = $"Keep the title under {Shave.TitleMaxLength} characters (it has {edit.Title.Trim().Length}).";
        }

        if (!string.IsNullOrWhiteSpace(edit.WorkItemUrl) && UrlRules.Check(edit.WorkItemUrl, Shave.UrlMaxLength) is { } urlError)
        {
            errors[nameof(ShaveEdit.WorkItemUrl)] = urlError;
        }

        if (edit.WorkItemSource?.Trim().Length > Shave.WorkItemSourceMaxLength)
        {
            errors[nameof(ShaveEdit.WorkItemSource)] = $"Keep the source under {Shave.WorkItemSourceMaxLength} characters.";
        }

        if (!Enum.IsDefined(edit.Status))
        {
            errors[nameof(ShaveEdit.Status)] = "Choose a status.";
        }

        return errors;
    }

    /// <summary>The project an edit moves the shave to, as it is now: null when it does not exist.</summary>
    public static string? ProjectError(bool? projectIsActive) => projectIsActive switch
    {
        null => "That project no longer exists.",
        false => "That project is inactive: choose an active one.",
        true => null,
    };
}
