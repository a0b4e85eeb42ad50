using System.Security.Cryptography;
using Microsoft.AspNetCore.Components;

namespace ShaveTracker.Web.Components.Shared;

// The logging half in C#: the LoggerMessage source generator does not see code generated from .razor files.
public sealed partial class PageErrorBoundary
{
    /// <summary>The property of the logged exception that holds the reference shown on the panel.</summary>
    public const string ReferenceProperty = "ErrorReference";

    private string? _reference;

    [Inject]
    private ILogger<PageErrorBoundary> Logger { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override Task OnErrorAsync(Exception exception)
    {
        // Short enough to read out over the phone; the logged event also carries the trace, circuit and user ids.
        _reference = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        LogPageError(Logger, exception, _reference, new Uri(Navigation.Uri).AbsolutePath);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A page failed, reference {" + ReferenceProperty + "}, at {Path}")]
    private static partial void LogPageError(ILogger logger, Exception exception, string errorReference, string path);
}
