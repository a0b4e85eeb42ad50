using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Account;

/// <summary>
/// The authentication state of an interactive session (one browser tab), checked against the database every
/// minute: a removed role, a removed user, a signed-out session or one past its absolute lifetime ends that tab's
/// rights within a minute, as the cookie's own refresh does for requests. Without this the circuit would keep the
/// principal it started with for as long as the tab stays open.
/// </summary>
/// <remarks>
/// The same loop as the framework's <see cref="RevalidatingServerAuthenticationStateProvider"/>, whose wait is a
/// <c>Task.Delay</c> on the system clock that cannot be given a <see cref="TimeProvider"/>; this one waits on the
/// app's <see cref="TimeProvider"/>, so tests drive the revalidation by moving a fake clock. Unlike the framework's
/// it also passes on changed roles (not only "still valid or not"): a tab that lost Staff keeps working as a
/// requester's, and every page and policy re-evaluates against the new principal.
/// </remarks>
public sealed partial class SessionRevalidatingStateProvider : ServerAuthenticationStateProvider, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly SignInService _signIns;
    private readonly TimeProvider _clock;
    private readonly ILogger<SessionRevalidatingStateProvider> _logger;
    private CancellationTokenSource? _loop;

    public SessionRevalidatingStateProvider(SignInService signIns, TimeProvider clock, ILogger<SessionRevalidatingStateProvider> logger)
    {
        _signIns = signIns;
        _clock = clock;
        _logger = logger;
        AuthenticationStateChanged += Watch;
    }

    /// <summary>
    /// What the session's principal should be now: the same one, a new one (roles or name changed), or signed out
    /// (the session is over). The decision the loop applies every minute.
    /// </summary>
    public async Task<AuthenticationState> RevalidateAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var refreshed = await _signIns.RefreshAsync(user, ct);
        if (refreshed is null)
        {
            return SignedOut;
        }

        return SameRights(user, refreshed) ? new AuthenticationState(user) : new AuthenticationState(refreshed);
    }

    public void Dispose()
    {
        AuthenticationStateChanged -= Watch;
        Stop(null);
    }

    private void Watch(Task<AuthenticationState> state)
    {
        var loop = new CancellationTokenSource();
        Stop(loop);
        _ = RevalidateLoopAsync(state, loop.Token);
    }

    private void Stop(CancellationTokenSource? next)
    {
        var previous = Interlocked.Exchange(ref _loop, next);
        if (previous is not null)
        {
            previous.Cancel();
            previous.Dispose();
        }
    }

    private async Task RevalidateLoopAsync(Task<AuthenticationState> stateTask, CancellationToken ct)
    {
        try
        {
            var user = (await stateTask).User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return;
            }

            while (true)
            {
                await Task.Delay(Interval, _clock, ct);
                AuthenticationState next;
                try
                {
                    next = await RevalidateAsync(user, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is away: keep the state and try again in a minute. The page's own database calls
                    // fail meanwhile, so nothing is granted that the database would refuse.
                    LogRevalidationFailed(_logger, ex);
                    continue;
                }

                if (!ReferenceEquals(next.User, user))
                {
                    if (next.User.Identity?.IsAuthenticated != true)
                    {
                        LogSessionEnded(_logger, user.FindFirst(ClaimNames.UserId)?.Value);
                    }

                    // Raises AuthenticationStateChanged: the pages re-render with the new state and Watch starts
                    // the next loop for it.
                    SetAuthenticationState(Task.FromResult(next));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static bool SameRights(ClaimsPrincipal a, ClaimsPrincipal b) =>
        a.FindFirst(ClaimNames.Name)?.Value == b.FindFirst(ClaimNames.Name)?.Value &&
        a.FindAll(ClaimNames.Role).Select(c => c.Value).Order(StringComparer.Ordinal)
            .SequenceEqual(b.FindAll(ClaimNames.Role).Select(c => c.Value).Order(StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revalidating an interactive session failed; trying again in a minute")]
    private static partial void LogRevalidationFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Interactive session of user {UserId} ended: signed out, removed or past its lifetime")]
    private static partial void LogSessionEnded(ILogger logger, string? userId);
}
