using System.Diagnostics.CodeAnalysis;

namespace ShaveTracker.Web.Shared;

/// <summary>How a change ended. Every feature's writes answer with it (see <see cref="CommandResult{T}"/>).</summary>
public enum CommandOutcome
{
    Succeeded,
    NotFound,
    Invalid,
    Conflict,
    Forbidden,
}

/// <summary>
/// The result of every write of every feature. Expected refusals (bad input, not allowed, gone, someone else saved
/// first) are returned, never thrown: on <see cref="CommandOutcome.Invalid"/> the errors by field name; on
/// <see cref="CommandOutcome.Conflict"/> the values someone else saved in <see cref="Current"/>; on success what the
/// record is now. <see cref="Message"/> is for the person (or client) who asked.
/// </summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "The factories name the outcome at the return statement (CommandResult<ShaveDetail>.NotFound(...)).")]
public sealed record CommandResult<T>(
    CommandOutcome Outcome,
    IReadOnlyDictionary<string, string>? Errors = null,
    T? Current = default,
    string? Message = null)
{
    public bool Succeeded => Outcome == CommandOutcome.Succeeded;

    public static CommandResult<T> Success(T? current = default) => new(CommandOutcome.Succeeded, Current: current);

    public static CommandResult<T> Invalid(IReadOnlyDictionary<string, string> errors) => new(CommandOutcome.Invalid, errors);

    public static CommandResult<T> Invalid(string field, string message) => new(CommandOutcome.Invalid, new Dictionary<string, string> { [field] = message });

    public static CommandResult<T> NotFound(string? message = null) => new(CommandOutcome.NotFound, Message: message);

    public static CommandResult<T> Forbidden(string message) => new(CommandOutcome.Forbidden, Message: message);

    public static CommandResult<T> Conflict(T? current, string message) => new(CommandOutcome.Conflict, Current: current, Message: message);
}

/// <summary>A write that has nothing to give back but its outcome.</summary>
public sealed record Done
{
    public static readonly Done Value = new();

    private Done()
    {
    }
}

/// <summary>Field errors collected by a validator, in the shape <see cref="CommandResult{T}.Errors"/> carries.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>A second message for the same field is appended to the first.</summary>
    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var earlier) ? $"{earlier} {message}" : message;

    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>(_errors, StringComparer.Ordinal);

    public CommandResult<T> ToResult<T>() => CommandResult<T>.Invalid(ToDictionary());
}
