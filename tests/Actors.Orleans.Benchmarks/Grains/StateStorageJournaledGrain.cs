using Orleans.Providers;

namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>Orleans's StateStorage event sourcing over ADO.NET PostgreSQL: each confirm writes the view and its metadata.</summary>
[GrainType(BenchGrainTypes.StateStorageJournaled)]
[LogConsistencyProvider(ProviderName = ProviderNames.StateStorage)]
[StorageProvider(ProviderName = ProviderNames.PostgreSql)]
public sealed class StateStorageJournaledGrain : JournaledBenchGrain;
