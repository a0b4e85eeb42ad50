using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Serilog.Context;

namespace ShaveTracker.Web.Infrastructure.Telemetry;

/// <summary>
/// One per interactive session (Blazor circuit): counts it in <see cref="ShaveTrackerMetrics.ActiveCircuitsName"/>
/// while it lives, and gives every log event written while it handles something from the browser (an event, a
/// navigation, a JS call, the first render) the circuit id and the signed-in user's id, as
/// <see cref="LogProperties.UseUserLogContext"/> does for HTTP requests.
/// </summary>
public sealed class CircuitTelemetryHandler(ShaveTrackerMetrics metrics, AuthenticationStateProvider authentication) : CircuitHandler
{
    private bool _open;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _open = true;
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // Only a circuit that was counted as opened is counted as closed: the gauge never goes below what it counted.
        if (_open)
        {
            _open = false;
            metrics.CircuitClosed();
        }

        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            // The authentication state is given to the circuit when it is created, before its first activity.
            var user = (await authentication.GetAuthenticationStateAsync()).User;
            using (LogContext.PushProperty(LogProperties.CircuitId, context.Circuit.Id))
            using (LogProperties.PushUserId(user))
            using (LogProperties.StartActivityIfNone("ShaveTracker.Circuit.Activity"))
            {
                await next(context);
            }
        };
}
