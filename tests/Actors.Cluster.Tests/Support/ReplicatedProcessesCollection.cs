namespace Actors.Cluster.Tests.Support;

/// <summary>
/// The replicated silo-process tests (<c>Processes/ReplicatedSiloProcessTests</c>, the longest of the suite: three silo
/// processes each, SIGKILL, SIGSTOP and link-cut campaigns) in a collection of their own with their own PostgreSQL
/// server, so they run beside the tests of <see cref="PostgresCollection"/> instead of after them; both collections start
/// first (<see cref="LongestCollectionsFirstOrderer"/>). They share nothing with
/// those tests but the machine: every cluster has its own id, data directories and ephemeral ports.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReplicatedProcessesCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection name to put on a test class: <c>[Collection(ReplicatedProcessesCollection.Name)]</c>.</summary>
    public const string Name = "PostgreSQL (replicated silo processes)";
}
