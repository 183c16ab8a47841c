namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>The tests that share one throwaway PostgreSQL server (each test uses its own Orleans ClusterId in it).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
