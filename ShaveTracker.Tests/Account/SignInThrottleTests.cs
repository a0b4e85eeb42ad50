using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Account;

namespace ShaveTracker.Tests.Account;

/// <summary>
/// Failed local sign-ins are counted per account and client address, in the database, on a fake clock: an
/// attacker's guesses pause the attacker's address, not the account's owner.
/// </summary>
public sealed class SignInThrottleTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.66");
    private static readonly IPAddress Owner = IPAddress.Parse("198.51.100.7");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private SignInService Service(int maxFailedAttempts = 5) => new(
        Factory,
        Options.Create(new LocalAccountOptions { MaxFailedAttempts = maxFailedAttempts, LockoutMinutes = 15 }),
        Options.Create(new BootstrapOptions()),
        Options.Create(new SessionOptions()),
        _clock,
        NullLogger<SignInService>.Instance);

    [Fact]
    public async Task Guesses_from_one_address_do_not_lock_the_owner_out_from_another()
    {
        await LocalSignIn.CreateUserAsync(Factory, "admin@example.test", "Ada Admin");
        var service = Service();
        for (var i = 0; i < 12; i++)
        {
            var guess = await service.SignInLocalAsync("admin@example.test", $"guess-{i}", Attacker, CancellationToken.None);
            Assert.Equal(LocalSignInOutcome.Refused, guess.Outcome);
        }

        Assert.Equal(LocalSignInOutcome.Refused,
            (await service.SignInLocalAsync("admin@example.test", LocalSignIn.Password, Attacker, CancellationToken.None)).Outcome);
        var owner = await service.SignInLocalAsync("admin@example.test", LocalSignIn.Password, Owner, CancellationToken.None);
        Assert.Equal(LocalSignInOutcome.Succeeded, owner.Outcome);
    }

    [Fact]
    public async Task A_lockout_ends_after_its_time_and_the_next_one_lasts_twice_as_long()
    {
        await LocalSignIn.CreateUserAsync(Factory, "frank@example.test", "Frank Example");
        var service = Service();
        await FailAsync(service, "frank@example.test", 5);
        Assert.Equal(LocalSignInOutcome.Refused, await RightPasswordAsync(service));

        _clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(LocalSignInOutcome.Refused, await RightPasswordAsync(service));
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(LocalSignInOutcome.Succeeded, await RightPasswordAsync(service));

        // A success forgets this address's failures and lockouts.
        await using var db = await NewContextAsync();
        Assert.False(await db.SignInThrottles.AnyAsync());
    }

    [Fact]
    public async Task Repeated_lockouts_of_one_address_grow_15_then_30_then_60_minutes()
    {
        await LocalSignIn.CreateUserAsync(Factory, "gina@example.test", "Gina Example");
        var service = Service();
        foreach (var minutes in new[] { 15, 30, 60 })
        {
            await FailAsync(service, "gina@example.test", 5);
            await using var db = await NewContextAsync();
            var throttle = await db.SignInThrottles.AsNoTracking().SingleAsync();
            Assert.Equal(_clock.GetUtcNow().UtcDateTime.AddMinutes(minutes), throttle.LockedUntil!.Value, TimeSpan.FromSeconds(1));
            _clock.Advance(TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Parallel_wrong_passwords_are_each_counted()
    {
        await LocalSignIn.CreateUserAsync(Factory, "hana@example.test", "Hana Example");
        // No lockout within reach: the count itself is what is checked.
        var service = Service(maxFailedAttempts: 100);
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Task.Run(() => service.SignInLocalAsync("hana@example.test", $"guess-{i}", Attacker, CancellationToken.None))));

        await using var db = await NewContextAsync();
        var throttle = await db.SignInThrottles.AsNoTracking().SingleAsync();
        Assert.Equal(24, throttle.FailedCount);
    }

    [Fact]
    public async Task An_unknown_user_and_a_locked_account_get_the_same_outcome_as_a_wrong_password()
    {
        await LocalSignIn.CreateUserAsync(Factory, "ivan@example.test", "Ivan Example");
        var service = Service();
        var wrong = await service.SignInLocalAsync("ivan@example.test", "wrong", Attacker, CancellationToken.None);
        var unknown = await service.SignInLocalAsync("nobody@example.test", "wrong", Attacker, CancellationToken.None);
        await FailAsync(service, "ivan@example.test", 4);
        var locked = await service.SignInLocalAsync("ivan@example.test", LocalSignIn.Password, Attacker, CancellationToken.None);
        Assert.Equal([LocalSignInOutcome.Refused, LocalSignInOutcome.Refused, LocalSignInOutcome.Refused],
            new[] { wrong.Outcome, unknown.Outcome, locked.Outcome });
        Assert.All(new[] { wrong, unknown, locked }, r => Assert.Null(r.Principal));
    }

    private static async Task<LocalSignInOutcome> RightPasswordAsync(SignInService service) =>
        (await service.SignInLocalAsync("frank@example.test", LocalSignIn.Password, Attacker, CancellationToken.None)).Outcome;

    private static async Task FailAsync(SignInService service, string userName, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(LocalSignInOutcome.Refused, (await service.SignInLocalAsync(userName, "wrong", Attacker, CancellationToken.None)).Outcome);
        }
    }
}
