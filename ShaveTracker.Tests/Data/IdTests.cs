using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

public sealed class IdTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    [Fact]
    public void New_ids_are_uuid_version_7_stamped_with_the_current_time()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = Ids.NewId();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(7, id.Version);
        Assert.Equal('7', id.ToString()[14]);
        Assert.InRange(UnixMilliseconds(id), before, after);
    }

    [Fact]
    public void Ids_made_later_sort_after_ids_made_earlier()
    {
        var start = new DateTimeOffset(2025, 7, 14, 9, 30, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 50).Select(i => Ids.NewId(start.AddMilliseconds(i))).ToList();

        Assert.Equal(ids, ids.Order());
        Assert.Equal(ids.Select(i => i.ToString()), ids.Select(i => i.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_database_orders_ids_by_creation_time()
    {
        var start = new DateTimeOffset(2025, 7, 14, 9, 30, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 20).Select(i => Ids.NewId(start.AddMilliseconds(i))).ToList();
        await using (var db = await NewContextAsync())
        {
            // Inserted in reverse, so only the ORDER BY can put them back.
            db.Users.AddRange(ids.AsEnumerable().Reverse().Select(id => new User
            {
                Id = id, AuthProvider = AuthProvider.Microsoft, DisplayName = "User", CreatedAt = DateTime.UtcNow,
            }));
            await db.SaveChangesAsync();
        }

        await using var read = await NewContextAsync();
        Assert.Equal(ids, await read.Users.OrderBy(u => u.Id).Select(u => u.Id).ToListAsync());
    }

    // RFC 9562: the first 48 bits of a version 7 UUID are the Unix time in milliseconds.
    private static long UnixMilliseconds(Guid id) => Convert.ToInt64(id.ToString("N")[..12], 16);
}
