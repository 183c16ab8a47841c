namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>An <c>IPersistentState</c> on the write-ahead log's grain storage.</summary>
[GrainType(BenchGrainTypes.WalState)]
public sealed class WalStateGrain([PersistentState("state", ProviderNames.WalStorage)] IPersistentState<PayloadState> state)
    : StateBenchGrain(state);
