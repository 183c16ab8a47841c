using Orleans.Providers;

namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>
/// Orleans's StateStorage event sourcing over its memory grain storage: each confirm writes the view into the memory
/// storage grain, nothing reaches a disk (the ceiling a journaled grain on the log is compared with).
/// </summary>
[GrainType(BenchGrainTypes.MemoryJournaled)]
[LogConsistencyProvider(ProviderName = ProviderNames.MemoryStateStorage)]
[StorageProvider(ProviderName = ProviderNames.Memory)]
public sealed class MemoryJournaledGrain : JournaledBenchGrain;
