using System.Text.RegularExpressions;

namespace ShaveTracker.Web.Shared;

/// <summary>
/// Hides credentials that prompts, responses, tool arguments and results picked up along the way (a leaked header,
/// a .env file read by a tool, a connection string pasted in a transcript). Runs on the server before any text is
/// sent to a browser or written to an export. A masked secret keeps a short, harmless prefix (<c>ghp_***</c>,
/// <c>Bearer ***</c>, <c>"password": "***"</c>) so that a reader still sees what kind of thing was there, and JSON
/// stays valid JSON.
/// </summary>
public static partial class SecretMasker
{
    public const string Mask = "***";

    // Each pattern is linear in the text (no nested quantifiers) and has a timeout: the texts are megabytes of data
    // that nobody here wrote. Order matters: the specific shapes go first, so that for example a GitHub token inside
    // a "token" JSON field is reported by its own prefix.
    private const int TimeoutMs = 2_000;

    // The last word of a secret's key: "GITHUB_TOKEN" ends in TOKEN, "aws_secret_access_key" in secret_access_key,
    // "X-Api-Key" in Api-Key. Matching from that word keeps whatever comes before it as it is, and "max_tokens" or
    // "tokenizer" do not end in one of them.
    private const string KeyWords =
        @"(?:api[_\-]?key|apikey|access[_\-]?key|account[_\-]?key|secret(?:[_\-]?access)?[_\-]?key|private[_\-]?key|subscription[_\-]?key|" +
        @"secret|token|password|passwd|pwd|pat|sig)";

    /// <summary>
    /// The key's word, not glued to a letter or digit before it ("userpassword" is not a key here) unless it starts a
    /// camelCase word ("accessToken", "clientSecret", "SharedAccessKey").
    /// </summary>
    private const string Key = @"(?:(?<![A-Za-z0-9])|(?<=(?-i:[a-z0-9]))(?=(?-i:[A-Z])))" + KeyWords;

    /// <summary>
    /// What may come before the key's word in a JSON property name: "client_" or "x-", and camelCase words
    /// ("access" in "accessToken"). Bounded, so that a long run of letters costs a fixed amount per quote.
    /// </summary>
    private const string JsonKeyPrefix = @"(?:[A-Za-z0-9]{1,40}[_\-.]|(?-i:[A-Z]?[a-z0-9]{1,40}(?=[A-Z]))){0,8}";

    /// <summary>Said instead of the text when masking it took too long: showing it unmasked is not an option.</summary>
    public const string Withheld = "[text withheld: it could not be checked for secrets in time]";

    /// <summary>The text with every secret replaced; null stays null. Cheap on text without secrets.</summary>
    public static string? Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        try
        {
            return ApplyAll(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return Withheld;
        }
    }

    private static string ApplyAll(string text)
    {
        // Patterns that need a literal the text does not have are skipped: most payloads have none of them.
        var masked = !text.Contains("PRIVATE KEY-----", StringComparison.Ordinal) ? text
            : PrivateKeyBlock().Replace(text, m => m.Groups["begin"].Value + Mask + m.Groups["end"].Value);
        masked = !masked.Contains("eyJ", StringComparison.Ordinal) ? masked : Jwt().Replace(masked, "eyJ" + Mask);
        masked = GitHubToken().Replace(masked, m => m.Groups["prefix"].Value + Mask);
        masked = OpenAiKey().Replace(masked, m => HasDigit(m.Groups["body"].Value) ? "sk-" + Mask : m.Value);
        masked = AwsAccessKey().Replace(masked, m => m.Groups["prefix"].Value + Mask);
        masked = GoogleApiKey().Replace(masked, "AIza" + Mask);
        masked = SlackToken().Replace(masked, m => m.Groups["prefix"].Value + Mask);
        masked = PrefixedToken().Replace(masked, m => m.Groups["prefix"].Value + Mask);
        masked = CookieHeader().Replace(masked, m => m.Groups["lead"].Value + Mask);
        masked = !masked.Contains("AZDO", StringComparison.Ordinal) ? masked : NewAzureDevOpsPat().Replace(masked, Mask);
        masked = AzureDevOpsPatNearKeyword().Replace(masked, m => m.Groups["lead"].Value + Mask);
        masked = AuthorizationBasic().Replace(masked, m => m.Groups["lead"].Value + Mask);
        masked = BearerToken().Replace(masked, m => LooksLikeSecret(m.Groups["secret"].Value) ? m.Groups["lead"].Value + Mask : m.Value);
        masked = UrlCredentials().Replace(masked, m => m.Groups["lead"].Value + Mask + "@");
        masked = JsonSecretField().Replace(masked, m => IsMasked(m.Groups["value"].Value) ? m.Value : m.Groups["lead"].Value + Mask + "\"");
        masked = EscapedJsonSecretField().Replace(masked, m => IsMasked(m.Groups["value"].Value) ? m.Value : m.Groups["lead"].Value + Mask + "\\\"");
        masked = ConnectionStringPassword().Replace(masked, m => m.Groups["lead"].Value + Mask);
        masked = KeyEqualsValue().Replace(masked, m => IsMasked(m.Groups["value"].Value) ? m.Value : m.Groups["lead"].Value + Mask);
        masked = KeyColonValue().Replace(masked, m => LooksLikeSecret(m.Groups["value"].Value) ? m.Groups["lead"].Value + Mask : m.Value);
        return masked;
    }

    /// <summary>
    /// Masks <paramref name="text"/> and keeps at most <paramref name="maxChars"/> of it. The caller reads a little
    /// more than it shows (<paramref name="text"/> may run past the cut) so that a secret straddling the cut is
    /// masked whole before the cut is made, rather than half of it surviving unmatched.
    /// </summary>
    public static string ApplyAndCut(string text, int maxChars)
    {
        var masked = Apply(text)!;
        if (masked.Length <= maxChars)
        {
            return masked;
        }

        // Never split a surrogate pair: half a character is not text any more.
        return masked[..(char.IsHighSurrogate(masked[maxChars - 1]) ? maxChars - 1 : maxChars)];
    }

    /// <summary>Already masked by a more specific pattern (ghp_***, sk-***): keep its prefix.</summary>
    private static bool IsMasked(string value) => value.EndsWith(Mask, StringComparison.Ordinal) && value.Length <= Mask.Length + 12;

    private static bool HasDigit(string value) => value.Any(char.IsAsciiDigit);

    /// <summary>Prose such as "Bearer authentication" or "token: none" is left alone; random strings are not.</summary>
    private static bool LooksLikeSecret(string value) =>
        !IsMasked(value) && value.Length >= 8 && (HasDigit(value) || value.Length >= 20);

    [GeneratedRegex(@"(?<begin>-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(?<end>-----END [A-Z ]*PRIVATE KEY-----)", RegexOptions.None, TimeoutMs)]
    private static partial Regex PrivateKeyBlock();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", RegexOptions.None, TimeoutMs)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(?<prefix>gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}", RegexOptions.None, TimeoutMs)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9\-])sk-(?<body>(?:proj-|ant-|live-|test-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,})", RegexOptions.None, TimeoutMs)]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"\b(?<prefix>AKIA|ASIA)[A-Z0-9]{16}\b", RegexOptions.None, TimeoutMs)]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}", RegexOptions.None, TimeoutMs)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\b(?<prefix>xox[abposr]-)[A-Za-z0-9\-]{10,}", RegexOptions.None, TimeoutMs)]
    private static partial Regex SlackToken();

    /// <summary>
    /// Tokens that announce themselves by prefix: this app's own API keys (stk_), Stripe (sk_live_, rk_test_, ...),
    /// GitLab (glpat-), npm (npm_) and Hugging Face (hf_).
    /// </summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<prefix>stk_|[sr]k_(?:live|test)_|glpat-|npm_|hf_)[A-Za-z0-9_\-]{16,}", RegexOptions.None, TimeoutMs)]
    private static partial Regex PrefixedToken();

    /// <summary>An HTTP Cookie or Set-Cookie header: everything after the colon is session material.</summary>
    [GeneratedRegex(@"(?<lead>(?<![A-Za-z0-9])(?i:cookie)[""']?\s*:\s*[""']?)(?!\*\*\*)[^\r\n""'\\]+", RegexOptions.None, TimeoutMs)]
    private static partial Regex CookieHeader();

    /// <summary>
    /// What a search for a secret looks like: a token's prefix, a secret's key followed by its separator, an
    /// Authorization scheme, a private key's header or credentials in a URL. A text search that contains one could
    /// be used to recover a masked value a character at a time ("password=h", "password=hu", ...), so such searches
    /// are refused rather than run.
    /// </summary>
    [GeneratedRegex(@"(?i)(?:gh[pousr]_|github_pat_|(?<![A-Za-z0-9])sk-|[sr]k_(?:live|test)_|glpat-|(?<![A-Za-z0-9])npm_|(?<![A-Za-z0-9])hf_|xox[abposr]-|(?<![A-Za-z0-9])stk_|" +
        @"(?-i:AKIA|ASIA|AIza)|eyJ|(?<![A-Za-z0-9])(?:bearer|basic)\s|-----BEGIN|://[^/\s@]*:|" + Key + @"[""']?\s*[:=]|(?<![A-Za-z0-9])cookie[""']?\s*:)", RegexOptions.None, TimeoutMs)]
    private static partial Regex SecretProbe();

    /// <summary>
    /// True when a search text could be a probe for a masked value: it has a secret in it, or the start of one (see
    /// <see cref="SecretProbe"/>).
    /// </summary>
    public static bool LooksLikeSecretSearch(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            return SecretProbe().IsMatch(text) || !string.Equals(Apply(text), text, StringComparison.Ordinal);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    /// <summary>Azure DevOps PATs since 2024: 84 characters with the "AZDO" signature.</summary>
    [GeneratedRegex(@"\b[A-Za-z0-9]{52}AZDO[A-Za-z0-9]{28}\b", RegexOptions.None, TimeoutMs)]
    private static partial Regex NewAzureDevOpsPat();

    /// <summary>
    /// Classic Azure DevOps PATs: 52 lower-case base32 characters. Alone they could be any identifier, so only when a
    /// word that names them (pat, token, password, AzureDevOps, ...) comes shortly before.
    /// </summary>
    [GeneratedRegex(@"(?<lead>(?i:\b(?:pat|token|password|pwd|secret|azure[_\-\s]?devops|ado|vsts)\b)[^\r\n]{0,40}?)\b[a-z2-7]{52}\b", RegexOptions.None, TimeoutMs)]
    private static partial Regex AzureDevOpsPatNearKeyword();

    [GeneratedRegex(@"(?<lead>(?i:authorization)[""']?\s*[:=]\s*[""']?\s*(?i:basic)\s+)[A-Za-z0-9+/]{4,}={0,2}", RegexOptions.None, TimeoutMs)]
    private static partial Regex AuthorizationBasic();

    [GeneratedRegex(@"(?<lead>\b(?i:bearer)\s+)(?<secret>[A-Za-z0-9\-._~+/]+=*)", RegexOptions.None, TimeoutMs)]
    private static partial Regex BearerToken();

    /// <summary>https://user:secret@host — the part between the colon and the at sign. Anchored on "://".</summary>
    [GeneratedRegex(@"(?<lead>://[^\s/:@""'<>\\]+:)(?!\*\*\*@)[^\s/@""'<>\\]+@", RegexOptions.None, TimeoutMs)]
    private static partial Regex UrlCredentials();

    /// <summary>"password": "…" and the like in JSON: the value is a whole JSON string, escapes included.</summary>
    [GeneratedRegex(@"(?<lead>""" + JsonKeyPrefix + KeyWords + @"""\s*:\s*"")(?<value>(?:[^""\\\r\n]|\\.)*)""", RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex JsonSecretField();

    /// <summary>The same inside a JSON string that holds JSON (\"password\": \"…\"), as tool arguments often are.</summary>
    [GeneratedRegex(@"(?<lead>\\""" + JsonKeyPrefix + KeyWords + @"\\""\s*:\s*\\"")(?<value>[^\r\n]*?)\\""", RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex EscapedJsonSecretField();

    /// <summary>Password=…; and Pwd=…; in ADO.NET / ODBC connection strings, quoted values included.</summary>
    [GeneratedRegex(@"(?<lead>\b(?:password|pwd)\s*=\s*)(?:'[^'\r\n]*'|""[^""\r\n]*""|(?!\*\*\*)[^;&""'\s]+)", RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex ConnectionStringPassword();

    /// <summary>
    /// key=value in query strings, .env files and command lines. The search starts at the '=' (rare) and looks back
    /// for the key, rather than trying every word of a megabyte as a possible key.
    /// </summary>
    [GeneratedRegex(@"(?<=" + Key + @"\s*)(?<lead>=\s*[""']?)(?<value>[^\s&;,""'<>\\]+)", RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex KeyEqualsValue();

    /// <summary>key: value in YAML, HTTP headers and logs; only masked when the value looks random (see LooksLikeSecret).</summary>
    [GeneratedRegex(@"(?<=" + Key + @"[""']?\s*)(?<lead>:\s*[""']?)(?<value>[^\s""',;<>\\]+)", RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex KeyColonValue();
}
