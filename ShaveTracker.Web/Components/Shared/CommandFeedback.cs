using MudBlazor;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Components.Shared;

/// <summary>
/// The page side of a <see cref="CommandResult{T}"/>: success or the refusal, said once in the snackbar. Field errors
/// are for the caller to put next to their fields (<see cref="FieldError{T}"/>); the snackbar says what else went wrong.
/// </summary>
public static class CommandFeedback
{
    /// <summary>True when the command succeeded (and <paramref name="success"/> was shown).</summary>
    public static bool Show<T>(this ISnackbar snackbar, CommandResult<T> result, string success)
    {
        ArgumentNullException.ThrowIfNull(snackbar);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded)
        {
            snackbar.Add(success, Severity.Success);
            return true;
        }

        var message = result.Message
                      ?? (result.Errors is { Count: > 0 } errors ? string.Join(" ", errors.Values) : "Nothing was changed.");
        snackbar.Add(message, Severity.Warning);
        return false;
    }

    /// <summary>The message for <paramref name="field"/>, or null.</summary>
    public static string? FieldError<T>(this CommandResult<T> result, string field)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Errors?.GetValueOrDefault(field);
    }
}
