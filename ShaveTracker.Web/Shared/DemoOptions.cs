namespace ShaveTracker.Web.Shared;

/// <summary>The <c>Demo</c> section: the development demo data and its sign-in password.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>The password of every demo local account (see <see cref="DemoAccounts"/>).</summary>
    public string Password { get; set; } = "Demo-Password-1";

    /// <summary>Whether the app fills an empty database with demo data at start.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>
    /// Whether the demo includes the long shave (30,000 trace records). It is most of the seeding's time, so tests that
    /// do not look at it leave it out.
    /// </summary>
    public bool LongTrace { get; set; } = true;
}
