using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Actors.Cluster.Tests.Support.LongestCollectionsFirstOrderer", "Actors.Cluster.Tests")]

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// Starts the two longest chains of the assembly first: the replicated silo-process tests
/// (<see cref="ReplicatedProcessesCollection"/>, five tests of three silo processes each) and the PostgreSQL collection
/// (<see cref="PostgresCollection"/>, which includes the silo-process and compose tests), then every other collection in
/// the order xunit found them.
/// </summary>
/// <remarks>
/// xunit (2.8 and later, conservative algorithm) runs at most <c>maxParallelThreads</c> collections at a time (the
/// processor count: 2 on CI) and admits them in this order. With xunit's default order the replicated chain happened to
/// start last and ran alone for its whole length while the other slot sat idle (round 11 trx: 258 of the assembly's
/// 535 s with one collection running, load 30-100). Started first, it runs beside everything else. Order only: no test
/// depends on it, and nothing about what a test proves changes.
/// </remarks>
public sealed class LongestCollectionsFirstOrderer : ITestCollectionOrderer
{
    private static readonly string[] First = [ReplicatedProcessesCollection.Name, PostgresCollection.Name];

    /// <inheritdoc/>
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
        => testCollections.OrderBy(Rank);

    private static int Rank(ITestCollection collection)
    {
        int index = Array.IndexOf(First, collection.DisplayName);
        return index < 0 ? First.Length : index;
    }
}
