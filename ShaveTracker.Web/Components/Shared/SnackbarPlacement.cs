using MudBlazor;

namespace ShaveTracker.Web.Components.Shared;

/// <summary>
/// Where notifications appear: the bottom-left corner, below the drawer's last link on a wide screen and under the
/// content on a phone. A page's actions sit at its top (a shave's Re-queue, Cancel and Edit under its title), where
/// MudBlazor's default top-right corner put the notice of one action on top of the next one.
/// </summary>
public static class SnackbarPlacement
{
    public static void Apply(SnackbarConfiguration snackbars)
    {
        ArgumentNullException.ThrowIfNull(snackbars);
        snackbars.PositionClass = Defaults.Classes.Position.BottomLeft;
    }
}
