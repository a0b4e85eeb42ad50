using System.Text.Json;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shared;

public sealed class SecretMaskerTests
{
    // The secrets below are made up: right shape, random characters.
    [Theory]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("curl -H 'Authorization: Bearer 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c'", "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c")]
    [InlineData("Authorization: Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy")]
    [InlineData("{\"Authorization\": \"Basic YWRtaW46c2VjcmV0MTIz\"}", "YWRtaW46c2VjcmV0MTIz")]
    [InlineData("GITHUB_TOKEN=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")]
    [InlineData("token gho_16C7e42F292c6912E7710c838347Ae178B4a and more", "gho_16C7e42F292c6912E7710c838347Ae178B4a")]
    [InlineData("ghu_abcdefghijklmnopqrstuvwxyz0123456789", "ghu_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")]
    [InlineData("refresh: ghr_1234567890abcdefghijABCDEFGHIJ123456", "ghr_1234567890abcdefghijABCDEFGHIJ123456")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY", "github_pat_11ABCDEFG0123456789")]
    [InlineData("OPENAI_API_KEY: sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z")]
    [InlineData("key sk-1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p7q8r9s0t1u2v3w4x", "sk-1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p7q8r9s0t1u2v3w4x")]
    [InlineData("Azure DevOps PAT: k3mpw7xq2rzd5vbn4ty6uhcj7ea2sgfl3opqw5ertyuiz6xcvbnm", "k3mpw7xq2rzd5vbn4ty6uhcj7ea2sgfl3opqw5ertyuiz6xcvbnm")]
    [InlineData("{\"token\":\"k3mpw7xq2rzd5vbn4ty6uhcj7ea2sgfl3opqw5ertyuiz6xcvbnm\"}", "k3mpw7xq2rzd5vbn4ty6uhcj7ea2sgfl3opqw5ertyuiz6xcvbnm")]
    [InlineData("AzureDevOps__PAT=2b7c4e6f8a1d3c5e7f9a2b4c6d8e1f3a5c7e9b2d4f6a8c1e3b5dAZDOb4c6d8e1f3a5c7e9b2d4f6a8c1e3", "2b7c4e6f8a1d3c5e7f9a2b4c6d8e1f3a5c7e9b2d4f6a8c1e3b5dAZDO")]
    [InlineData("{\"api_key\": \"live_9c1f0a7b3e\"}", "live_9c1f0a7b3e")]
    [InlineData("{\"apikey\":\"abc\\\"def123\"}", "def123")]
    [InlineData("{\"client_secret\": \"s3cr3t-value\"}", "s3cr3t-value")]
    [InlineData("{\"password\": \"hunter2\"}", "hunter2")]
    [InlineData("{\"args\":\"{\\\"password\\\":\\\"hunter2\\\"}\"}", "hunter2")]
    [InlineData("https://api.example.test/v1/items?api_key=Zx81mQ0pL2&page=2", "Zx81mQ0pL2")]
    [InlineData("SECRET=hunter2", "hunter2")]
    [InlineData("Server=db.contoso.internal;Database=shaves;User Id=sa;Password=P@ss;w0rd-not-here;Encrypt=true", "P@ss")]
    [InlineData("Data Source=db;Initial Catalog=x;User ID=app;Pwd=Tr0ub4dor&3;", "Tr0ub4dor")]
    [InlineData("Server=db;Password='with;semicolon';Database=x", "with;semicolon")]
    [InlineData("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("git clone https://alice:Sup3rS3cret@dev.azure.com/contoso/repo", "Sup3rS3cret")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA7")]
    [InlineData("SLACK=xoxb-1234567890-abcdefghijklmn", "xoxb-1234567890-abcdefghijklmn")]
    [InlineData("X-Api-Key: 7d3f9a1b2c4e6f8a", "7d3f9a1b2c4e6f8a")]
    public void Secrets_of_common_shapes_are_masked(string text, string secret)
    {
        var masked = SecretMasker.Apply(text)!;

        Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
        Assert.Contains(SecretMasker.Mask, masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GITHUB_TOKEN=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "GITHUB_TOKEN=ghp_***")]
    [InlineData("{\"token\": \"ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\"}", "{\"token\": \"ghp_***\"}")]
    [InlineData("Authorization: Bearer 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c", "Authorization: Bearer ***")]
    [InlineData("use sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z now", "use sk-*** now")]
    [InlineData("Server=db;User Id=sa;Password=hunter2;Encrypt=true", "Server=db;User Id=sa;Password=***;Encrypt=true")]
    [InlineData("{\"password\": \"hunter2\", \"user\": \"ada\"}", "{\"password\": \"***\", \"user\": \"ada\"}")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "AKIA***")]
    public void Masks_keep_a_short_prefix_and_the_surrounding_text(string text, string expected) =>
        Assert.Equal(expected, SecretMasker.Apply(text));

    [Theory]
    [InlineData("Never include passwords, access tokens, personal data or payment card numbers.")]
    [InlineData("{\"max_tokens\": 4096, \"prompt_tokens\": 1234, \"tokenizer\": \"cl100k_base\"}")]
    [InlineData("The login button does nothing on Safari; see https://github.com/contoso/storefront-web/issues/1181")]
    [InlineData("Use Bearer authentication for the API.")]
    [InlineData("The task-runner and the desk-booking page")]
    [InlineData("{\"id\":\"call_ZoYkBHDYu01WKgjD8fGuA1GL\",\"sha\":\"9fceb02d0ae598e95dc970b74767f19372d61af8\"}")]
    public void Ordinary_text_is_left_alone(string text) => Assert.Equal(text, SecretMasker.Apply(text));

    /// <summary>
    /// A corpus of real-looking secrets in the places pipeline text carries them (made up: right shape, random
    /// characters), each with what must disappear and what must stay so that a reader still sees what was there.
    /// </summary>
    public static TheoryData<string, string, string> Corpus => new()
    {
        // camelCase JSON keys, as SDKs and tool results write them
        { """{"accessToken": "eyA9x2Lq7vT4mN8pR3sK6wZ1"}""", "eyA9x2Lq7vT4mN8pR3sK6wZ1", "\"accessToken\": \"***\"" },
        { """{"clientSecret":"Qm8~fT2.vX9pL4nR7sW1yZ6bC3dE5gH0"}""", "Qm8~fT2.vX9pL4nR7sW1yZ6bC3dE5gH0", "\"clientSecret\":\"***\"" },
        { """{"refreshToken": "0.AXoA7b3c9d1e5f", "expiresIn": 3599}""", "0.AXoA7b3c9d1e5f", "\"expiresIn\": 3599" },
        { """{"githubAccessToken":"gho_16C7e42F292c6912E7710c838347Ae178B4a"}""", "16C7e42F292c6912E7710c838347Ae178B4a", "gho_***" },
        { """{"args":"{\"apiKey\":\"a81f0c3d9e7b6a5f4c3d2e1f\"}"}""", "a81f0c3d9e7b6a5f4c3d2e1f", "\\\"apiKey\\\":\\\"***\\\"" },
        // Azure storage and Service Bus connection strings, SAS URLs
        { "DefaultEndpointsProtocol=https;AccountName=shavestore;AccountKey=Xy7+Vb2Qe9Lm4Np1Rs6Tu3Wz8Ac5Df0Gh2Jk7Mn4Pq9St1Uv6Wx3Yz8Ab5Cd0Ef2Gh7Ij==;EndpointSuffix=core.windows.net",
            "Xy7+Vb2Qe9Lm4Np1Rs6Tu3Wz8Ac5Df0Gh2Jk7Mn4Pq", "AccountName=shavestore;AccountKey=***;EndpointSuffix" },
        { "Endpoint=sb://shaves.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=q3Rt8Yu2Io5Pa9Sd1Fg6Hj4Kl7Zx0Cv3Bn8Mm2Qw5Er=",
            "q3Rt8Yu2Io5Pa9Sd1Fg6Hj4Kl7Zx0Cv3Bn8Mm2Qw5Er", "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=***" },
        { "GET https://shavestore.blob.core.windows.net/videos/r.mp4?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T00:00:00Z&spr=https&sig=k8Jd3%2BLm9Qp2Rs7Tv1Wx4Yz6Ab0Cd5Ef8Gh%3D HTTP/1.1",
            "k8Jd3%2BLm9Qp2Rs7Tv1Wx4Yz6Ab0Cd5Ef8Gh", "&sp=r&se=2026-12-31T00:00:00Z&spr=https&sig=***" },
        // this app's own API keys, outside the X-Api-Key header too
        { "worker started with key stk_Qw3rTy8uIo2pAs5dFg7hJk1lZx4cVb6nM9mPq0WeRt", "Qw3rTy8uIo2pAs5dFg7hJk1lZx4cVb6nM9mPq0WeRt", "with key stk_***" },
        { "SHAVETRACKER_KEY='stk_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kM9nP'", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kM9nP", "stk_***" },
        // payment, GitLab, npm and Hugging Face tokens
        { "stripe.api_key = \"sk_live_51HqLmN2eZvKYlo2C8x4Rt7Uw9Yb3Df6Gh\"", "51HqLmN2eZvKYlo2C8x4Rt7Uw9Yb3Df6Gh", "sk_live_***" },
        { "using rk_test_4eC39HqLyjWDarjtT1zdp7dc now", "4eC39HqLyjWDarjtT1zdp7dc", "using rk_test_*** now" },
        { "git push https://oauth2:glpat-Xy9Zq3Rt7Uv1Wx5Ab8Cd@gitlab.example.test/team/app.git", "Xy9Zq3Rt7Uv1Wx5Ab8Cd", "gitlab.example.test/team/app.git" },
        { "CI_TOKEN glpat-Zz8Yy7Xx6Ww5Vv4Uu3Tt2 was rejected", "Zz8Yy7Xx6Ww5Vv4Uu3Tt2", "CI_TOKEN glpat-*** was rejected" },
        { "//registry.example.test/:_authToken=npm_4fT9qL2xR7vB1nK6mZ3wY8pD5sH0cJ2gA7eU", "4fT9qL2xR7vB1nK6mZ3wY8pD5sH0cJ2gA7eU", "npm_***" },
        { "HF_TOKEN is hf_kPqRsTuVwXyZaBcDeFgHiJkLmNoPqRsTuV", "kPqRsTuVwXyZaBcDeFgHiJkLmNoPqRsTuV", "HF_TOKEN is hf_***" },
        // HTTP headers
        { "Cookie: .AspNetCore.Cookies=CfDJ8Nq2xR7v; ai_session=Jq8Lm", "CfDJ8Nq2xR7v", "Cookie: ***" },
        { "HTTP/1.1 302 Found\r\nSet-Cookie: session=7dF3gH9jK2; Path=/; HttpOnly\r\nLocation: /", "7dF3gH9jK2", "\r\nLocation: /" },
        { """{"headers":{"cookie":"sid=Z9y8X7w6V5u4"}}""", "Z9y8X7w6V5u4", "\"cookie\":\"***\"" },
        { "Authorization: Bearer ghp_R4nd0mT0k3nV4lu3F0rT3st1ngAbCdEf12 (Server=db;Password=hunter2)", "hunter2", "Bearer ghp_*** (Server=db;Password=***" },
        { "curl -H \"Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA9x7\" https://api.example.test", "2YotnFZFEjr1zCsicMWpAA9x7", "Bearer ***" },
        // connection-string passwords
        { "Host=pg.internal;Port=5432;Username=shaves;Password=Sh4v3s!2026;Database=app", "Sh4v3s!2026", "Username=shaves;Password=***;Database=app" },
        { "mongodb://app:N0tS0S3cr3t@mongo.internal:27017/shaves", "N0tS0S3cr3t", "mongodb://app:***@mongo.internal" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void The_corpus_of_real_looking_secrets_is_masked_and_the_context_kept(string text, string secret, string kept)
    {
        var masked = SecretMasker.Apply(text)!;

        Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
        Assert.Contains(kept, masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"max_tokens": 4096, "maxTokens": "4096", "tokenizer": "cl100k"}""")]
    [InlineData("""{"tokenCount": "812", "signature": "v2", "compat": "yes"}""")]
    [InlineData("The design uses a cookie banner; signing in needs an account.")]
    [InlineData("stk_ is the prefix of ShaveTracker API keys")]
    public void Words_near_the_new_formats_are_left_alone(string text) => Assert.Equal(text, SecretMasker.Apply(text));

    [Theory]
    [InlineData("password=h", true)]
    [InlineData("Password=hu", true)]
    [InlineData("\"accessToken\": \"ey", true)]
    [InlineData("ghp_a", true)]
    [InlineData("sk-pro", true)]
    [InlineData("Bearer 2Yot", true)]
    [InlineData("AccountKey=Xy", true)]
    [InlineData("sig=k8", true)]
    [InlineData("stk_Q", true)]
    [InlineData("Cookie: sess", true)]
    [InlineData("https://alice:S", true)]
    [InlineData("timeout after 30 s", false)]
    [InlineData("create_issue", false)]
    [InlineData("Login button does nothing", false)]
    [InlineData("token limit", false)]
    public void Searches_that_could_probe_a_masked_value_are_recognised(string search, bool probe) =>
        Assert.Equal(probe, SecretMasker.LooksLikeSecretSearch(search));

    [Fact]
    public void Masked_json_is_still_valid_json_with_the_same_shape()
    {
        var json = """{"headers":{"Authorization":"Bearer 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c","X-Api-Key":"7d3f9a1b2c4e6f8a"},"password":"a\"b","nested":"{\"token\":\"ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\"}"}""";

        var masked = SecretMasker.Apply(json)!;

        using var doc = JsonDocument.Parse(masked);
        Assert.Equal("Bearer ***", doc.RootElement.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("***", doc.RootElement.GetProperty("password").GetString());
        Assert.DoesNotContain("ghp_a1B2", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("7d3f9a1b2c4e6f8a", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_inside_a_json_string_is_masked_line_by_line_not_beyond()
    {
        // A tool result holding a .env file: its line breaks are the two characters \ and n.
        var json = "{\"content\":\"GITHUB_TOKEN=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\\nOPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\\nDB_PASSWORD=hunter2\\nNAME=keep-me\"}";

        Assert.Equal(
            "{\"content\":\"GITHUB_TOKEN=ghp_***\\nOPENAI_API_KEY=sk-***\\nDB_PASSWORD=***\\nNAME=keep-me\"}",
            SecretMasker.Apply(json));
    }

    [Fact]
    public void Megabytes_of_ordinary_text_come_back_unchanged_not_withheld()
    {
        var line = "[user] The login button does nothing on Safari; see https://github.com/contoso/web/issues/1181 and the " +
                   "{\"max_tokens\": 4096, \"title\": \"Checkout total\"} tool output, token counts and passwords policy.\n";
        var text = string.Concat(Enumerable.Repeat(line, 2 * 1024 * 1024 / line.Length));
        SecretMasker.Apply(text[..1000]);

        var masked = SecretMasker.Apply(text);

        // A pattern gone quadratic would hit the masker's regex timeout and the text would be withheld instead.
        Assert.Equal(text, masked);
    }

    [Fact]
    public void A_secret_straddling_the_preview_cut_is_masked_before_cutting()
    {
        var token = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        var text = new string('x', 100) + " " + token + " tail";

        // Cut inside the token: masked first, the cut falls after its short mask.
        var preview = SecretMasker.ApplyAndCut(text, 108);

        Assert.Equal(108, preview.Length);
        Assert.DoesNotContain("a1B2c3", preview, StringComparison.Ordinal);
        Assert.EndsWith("ghp_***", preview, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_empty_stay_as_they_are()
    {
        Assert.Null(SecretMasker.Apply(null));
        Assert.Equal("", SecretMasker.Apply(""));
    }
}
