namespace ShaveTracker.Web.Shared;

/// <summary>When the app's own cookies (sign-in, antiforgery) carry the Secure flag.</summary>
public static class SecureCookies
{
    /// <summary>The environment the test suite runs the app in (plain http on a random local port).</summary>
    public const string TestingEnvironment = "Testing";

    /// <summary>
    /// Always Secure in production, so a cookie is never sent over plain http even if someone reaches the app that
    /// way (or a proxy forgets to forward the scheme). Development and the test host run on http://127.0.0.1, where
    /// a Secure cookie would never come back; there the cookie follows the request's scheme.
    /// </summary>
    public static CookieSecurePolicy Policy(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.IsDevelopment() || environment.IsEnvironment(TestingEnvironment)
            ? CookieSecurePolicy.SameAsRequest
            : CookieSecurePolicy.Always;
    }
}
