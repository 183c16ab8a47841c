using Orleans.Providers;

namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>Orleans's LogStorage event sourcing over ADO.NET PostgreSQL: each confirm writes the whole event list.</summary>
[GrainType(BenchGrainTypes.LogStorageJournaled)]
[LogConsistencyProvider(ProviderName = ProviderNames.LogStorage)]
[StorageProvider(ProviderName = ProviderNames.PostgreSql)]
public sealed class LogStorageJournaledGrain : JournaledBenchGrain;
