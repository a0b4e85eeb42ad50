using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>
/// The skeletons of long traces, shared by every tab of this instance that shows them. Reading a 100,000-record
/// skeleton is most of a second of server CPU and tens of megabytes; kept once here, a second admin, a reload or a
/// return to the trace costs neither, and each open tab holds a reference rather than a copy.
/// <list type="bullet">
/// <item>Only traces of at least <see cref="MinRecords"/> records, and only while no step is running (a running step's
/// bar is drawn to "now", and a running shave is reported to many times a minute anyway).</item>
/// <item>Costs are computed with the model prices of the moment: a skeleton priced with other prices than today's is
/// read again.</item>
/// <item>Any change to a shave (heard from this instance's writes and, through the change feed, other instances') drops
/// its skeleton; a load that a change overtook is not kept.</item>
/// <item>At most <see cref="MaxRecords"/> records in all: the least recently used skeleton goes first.</item>
/// </list>
/// </summary>
public sealed class TraceSkeletonCache : IDisposable
{
    public const int MinRecords = 10_000;
    public const int MaxRecords = 400_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly Dictionary<Guid, List<Load>> _loading = [];
    private readonly IDisposable _subscription;
    private long _records;

    private sealed record Entry(Guid ShaveId, TraceSkeleton Skeleton, int Records, PriceBook Prices);

    /// <summary>A skeleton being read from the database; a change to its shave meanwhile makes it not worth keeping.</summary>
    public sealed class Load(Guid shaveId)
    {
        public Guid ShaveId { get; } = shaveId;

        internal bool Overtaken { get; set; }
    }

    public TraceSkeletonCache(IShaveChangeNotifier changes)
    {
        _subscription = changes.Subscribe(null, change =>
        {
            Forget(change.ShaveId);
            return Task.CompletedTask;
        });
    }

    public TraceSkeleton? Find(Guid shaveId, PriceBook prices)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(shaveId, out var node))
            {
                return null;
            }

            if (!node.Value.Prices.Entries.SequenceEqual(prices.Entries))
            {
                Remove(node);
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Skeleton;
        }
    }

    /// <summary>Before reading a skeleton; every <see cref="Begin"/> is followed by one <see cref="End"/>.</summary>
    public Load Begin(Guid shaveId)
    {
        var load = new Load(shaveId);
        lock (_lock)
        {
            if (!_loading.TryGetValue(shaveId, out var loads))
            {
                _loading[shaveId] = loads = [];
            }

            loads.Add(load);
        }

        return load;
    }

    /// <summary>After reading: keeps the skeleton (if any) when it is worth keeping and no change overtook it.</summary>
    public void End(Load load, TraceSkeleton? skeleton, PriceBook prices)
    {
        lock (_lock)
        {
            if (_loading.TryGetValue(load.ShaveId, out var loads) && loads.Remove(load) && loads.Count == 0)
            {
                _loading.Remove(load.ShaveId);
            }

            if (skeleton is null || load.Overtaken || _entries.ContainsKey(load.ShaveId))
            {
                return;
            }

            var records = skeleton.AiLogCount + skeleton.ToolCallCount;
            if (records < MinRecords || records > MaxRecords || skeleton.Groups.Any(g => g.Step?.IsRunning == true))
            {
                return;
            }

            while (_records + records > MaxRecords && _recency.Last is { } oldest)
            {
                Remove(oldest);
            }

            _entries[load.ShaveId] = _recency.AddFirst(new Entry(load.ShaveId, skeleton, records, prices));
            _records += records;
        }
    }

    public void Forget(Guid shaveId)
    {
        lock (_lock)
        {
            foreach (var load in _loading.GetValueOrDefault(shaveId) ?? [])
            {
                load.Overtaken = true;
            }

            if (_entries.TryGetValue(shaveId, out var node))
            {
                Remove(node);
            }
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.ShaveId);
        _records -= node.Value.Records;
    }

    public void Dispose() => _subscription.Dispose();
}
