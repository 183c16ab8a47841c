namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>An <c>IPersistentState</c> on Orleans's memory grain storage: nothing reaches a disk (the ceiling).</summary>
[GrainType(BenchGrainTypes.MemoryState)]
public sealed class MemoryStateGrain([PersistentState("state", ProviderNames.Memory)] IPersistentState<PayloadState> state)
    : StateBenchGrain(state);
