namespace Actors.Cluster.Tests.Support;

/// <summary>
/// The test classes that need PostgreSQL share one server (starting one costs seconds on a loaded machine): they are one
/// xunit collection, so they run one after another against the same <see cref="PostgresServer"/>, each with its own
/// cluster id. The replicated silo-process tests have a collection and server of their own
/// (<see cref="ReplicatedProcessesCollection"/>) so that the two longest chains of the assembly run side by side.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection name to put on a test class: <c>[Collection(PostgresCollection.Name)]</c>.</summary>
    public const string Name = "PostgreSQL";
}
