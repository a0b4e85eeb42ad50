using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Features.Shaves.Trace;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shaves.Trace;

public sealed class TraceSkeletonCacheTests
{
    private static readonly DateTime At = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    private readonly ShaveTracker.Web.Infrastructure.LiveUpdates.InProcessShaveChangeNotifier _changes = TestShaveChanges.Notifier();

    private static TraceSkeleton Skeleton(int records, ProcessStatus stepStatus = ProcessStatus.Completed)
    {
        var shaveId = Guid.NewGuid();
        var step = new StepRow(Guid.NewGuid(), "executing_task", stepStatus, At, stepStatus == ProcessStatus.InProgress ? null : At.AddHours(1), null);
        var logs = Enumerable.Range(0, records)
            .Select(i => new TraceRecord(Guid.NewGuid(), TraceRecordKind.AiLog, step.Id, null, "gpt-4.1", null, null, null, 100, At.AddSeconds(i)))
            .ToList();
        return TraceService.Build(new TraceShaveHeader(shaveId, "Long", ShaveStatus.Failed, At), [step], logs, [], At.AddHours(2));
    }

    private static void Load(TraceSkeletonCache cache, TraceSkeleton skeleton, PriceBook? prices = null) =>
        cache.End(cache.Begin(skeleton.Shave.Id), skeleton, prices ?? PriceBook.Empty);

    [Fact]
    public void A_long_finished_trace_is_shared_until_its_shave_changes()
    {
        using var cache = new TraceSkeletonCache(_changes);
        var skeleton = Skeleton(TraceSkeletonCache.MinRecords);
        Load(cache, skeleton);

        Assert.Same(skeleton, cache.Find(skeleton.Shave.Id, PriceBook.Empty));

        _changes.Publish(new ShaveChange(skeleton.Shave.Id, ShaveChangeKind.RecordsAdded, At));
        Assert.Null(cache.Find(skeleton.Shave.Id, PriceBook.Empty));
    }

    [Fact]
    public void A_load_that_a_change_overtook_is_not_kept()
    {
        using var cache = new TraceSkeletonCache(_changes);
        var skeleton = Skeleton(TraceSkeletonCache.MinRecords);
        var load = cache.Begin(skeleton.Shave.Id);

        _changes.Publish(new ShaveChange(skeleton.Shave.Id, ShaveChangeKind.StepsChanged, At));
        cache.End(load, skeleton, PriceBook.Empty);

        Assert.Null(cache.Find(skeleton.Shave.Id, PriceBook.Empty));
    }

    [Fact]
    public void Short_and_running_traces_are_read_each_time()
    {
        using var cache = new TraceSkeletonCache(_changes);
        var shortOne = Skeleton(TraceSkeletonCache.MinRecords - 1);
        var running = Skeleton(TraceSkeletonCache.MinRecords, ProcessStatus.InProgress);
        Load(cache, shortOne);
        Load(cache, running);

        Assert.Null(cache.Find(shortOne.Shave.Id, PriceBook.Empty));
        Assert.Null(cache.Find(running.Shave.Id, PriceBook.Empty));
    }

    [Fact]
    public void A_skeleton_priced_with_other_prices_is_read_again()
    {
        using var cache = new TraceSkeletonCache(_changes);
        var skeleton = Skeleton(TraceSkeletonCache.MinRecords);
        var before = new PriceBook([new PriceEntry(Guid.NewGuid(), "gpt-4.1*", 2, 8, At.AddYears(-1), null)]);
        Load(cache, skeleton, before);

        var after = new PriceBook([new PriceEntry(before.Entries[0].Id, "gpt-4.1*", 3, 8, At.AddYears(-1), null)]);
        Assert.Same(skeleton, cache.Find(skeleton.Shave.Id, new PriceBook([.. before.Entries])));
        Assert.Null(cache.Find(skeleton.Shave.Id, after));
    }

    [Fact]
    public void The_least_recently_opened_trace_goes_when_the_records_would_pass_the_limit()
    {
        using var cache = new TraceSkeletonCache(_changes);
        var size = TraceSkeletonCache.MaxRecords / 2;
        var first = Skeleton(size);
        var second = Skeleton(size);
        Load(cache, first);
        Load(cache, second);
        Assert.NotNull(cache.Find(first.Shave.Id, PriceBook.Empty));

        var third = Skeleton(size);
        Load(cache, third);

        Assert.NotNull(cache.Find(first.Shave.Id, PriceBook.Empty));
        Assert.Null(cache.Find(second.Shave.Id, PriceBook.Empty));
        Assert.NotNull(cache.Find(third.Shave.Id, PriceBook.Empty));
    }
}
