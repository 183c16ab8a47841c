namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>An <c>IPersistentState</c> on Orleans's ADO.NET grain storage over PostgreSQL.</summary>
[GrainType(BenchGrainTypes.PostgreSqlState)]
public sealed class PostgreSqlStateGrain([PersistentState("state", ProviderNames.PostgreSql)] IPersistentState<PayloadState> state)
    : StateBenchGrain(state);
