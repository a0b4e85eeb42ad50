using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Data;

/// <summary>
/// The readable strings the pipeline and the real product use for the enum-like columns. Reading a value this
/// version does not know gives the enum's fallback rather than failing the whole query.
/// </summary>
public static class EnumStrings
{
    public static string ToDb(this ShaveStatus status) => status.ToString();

    public static ShaveStatus ParseShaveStatus(string value) =>
        Enum.TryParse<ShaveStatus>(value, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : ShaveStatus.Unknown;

    public static bool TryParseShaveStatus(string? value, out ShaveStatus status)
    {
        status = ShaveStatus.Unknown;
        return value is not null && !int.TryParse(value, out _) &&
               Enum.TryParse(value, ignoreCase: true, out status) && Enum.IsDefined(status);
    }

    public static string ToDb(this ProcessStatus status) => status switch
    {
        ProcessStatus.NotStarted => "not_started",
        ProcessStatus.InProgress => "in_progress",
        ProcessStatus.Completed => "completed",
        ProcessStatus.Failed => "failed",
        ProcessStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParseProcessStatus(string? value, out ProcessStatus status)
    {
        switch (value?.ToLowerInvariant())
        {
            case "not_started": status = ProcessStatus.NotStarted; return true;
            case "in_progress": status = ProcessStatus.InProgress; return true;
            case "completed": status = ProcessStatus.Completed; return true;
            case "failed": status = ProcessStatus.Failed; return true;
            case "skipped": status = ProcessStatus.Skipped; return true;
            default: status = ProcessStatus.NotStarted; return false;
        }
    }

    public static string ToDb(this AuthProvider provider) => provider switch
    {
        AuthProvider.Microsoft => "microsoft",
        AuthProvider.Local => "local",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public static AuthProvider ParseAuthProvider(string value) =>
        string.Equals(value, "local", StringComparison.OrdinalIgnoreCase) ? AuthProvider.Local : AuthProvider.Microsoft;

    internal static readonly ValueConverter<ShaveStatus, string> ShaveStatusConverter =
        new(v => v.ToDb(), v => ParseShaveStatus(v));

    internal static readonly ValueConverter<ProcessStatus, string> ProcessStatusConverter =
        new(v => v.ToDb(), v => ParseProcessStatusOrDefault(v));

    internal static readonly ValueConverter<AuthProvider, string> AuthProviderConverter =
        new(v => v.ToDb(), v => ParseAuthProvider(v));

    private static ProcessStatus ParseProcessStatusOrDefault(string value) =>
        TryParseProcessStatus(value, out var s) ? s : ProcessStatus.NotStarted;
}
