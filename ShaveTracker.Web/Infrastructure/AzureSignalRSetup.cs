using Microsoft.Azure.SignalR;
using Microsoft.Extensions.Options;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>
/// Optional Azure SignalR Service for the Blazor circuits. Without it each browser's circuit lives on the instance
/// that serves its WebSocket, and the load balancer must keep the browser on that instance (sticky sessions, ARR
/// affinity). With it, browsers connect to the service and the service relays each one to its instance.
/// </summary>
public static class AzureSignalRSetup
{
    public const string ConnectionStringKey = "Azure:SignalR:ConnectionString";

    public static WebApplicationBuilder AddShaveTrackerAzureSignalR(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return builder;
        }

        // Checked now rather than when the first browser connects: a wrong value stops the app naming the setting.
        if (ClientOrigin(connectionString) is null)
        {
            throw new OptionsValidationException(ConnectionStringKey, typeof(ServiceOptions),
                [$"{ConnectionStringKey} is not an Azure SignalR connection string (Endpoint=https://<name>.service.signalr.net;AccessKey=...;Version=1.0;)."]);
        }

        builder.Services.AddSignalR().AddAzureSignalR(o =>
        {
            o.ConnectionString = connectionString;
            // A circuit is server state: the browser must reach the instance that prerendered and negotiated it, not
            // whichever instance the service would pick.
            o.ServerStickyMode = ServerStickyMode.Required;
        });
        return builder;
    }

    /// <summary>
    /// Where browsers open their connection when the service is configured (its ClientEndpoint, else its Endpoint):
    /// the Content-Security-Policy must allow it in <c>connect-src</c>, or the browser would refuse the socket.
    /// Null when not configured or not a valid connection string.
    /// </summary>
    public static Uri? ClientOrigin(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        try
        {
            var endpoint = new ServiceEndpoint(connectionString);
            var client = endpoint.ClientEndpoint ?? new Uri(endpoint.Endpoint);
            return client.Scheme is "https" or "http" ? new Uri(client.GetLeftPart(UriPartial.Authority)) : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            return null;
        }
    }
}
