using ShaveTracker.Tests.Accessibility;
using ShaveTracker.Tests.Security;
using ShaveTracker.Tests.Shaves.Trace;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("ShaveTracker.Tests.Infrastructure.LongestCollectionsFirst", "ShaveTracker.Tests")]

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// Starts the longest test collections first. xunit runs as many collections at a time as the machine has cores, each
/// to its end, and starts the next one as one finishes. In its own order, the shared app's browser tests (by far the
/// longest collection) started once most of the short collections were done, then ran on alone while the other cores
/// had nothing left to do; started first, the short collections fill the other cores beside it.
/// </summary>
public sealed class LongestCollectionsFirst : ITestCollectionOrderer
{
    /// <summary>Longest first; every other collection follows, in xunit's own order.</summary>
    private static readonly string[] Longest =
        [WebCollection.Name, AccessibilityCollection.Name, HostileQueryCollection.Name, LongTraceCollection.Name, DatabaseCollection.Name];

    private readonly DefaultTestCollectionOrderer _default = new();

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        _default.OrderTestCollections(testCollections).OrderBy(Rank).ToList();

    private static int Rank(ITestCollection collection) =>
        Array.IndexOf(Longest, collection.DisplayName) is var rank and >= 0 ? rank : Longest.Length;
}
