using Orleans.Providers;

namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>A journaled grain on the write-ahead log's log-consistency provider: each confirm appends the event.</summary>
[GrainType(BenchGrainTypes.WalJournaled)]
[LogConsistencyProvider(ProviderName = ProviderNames.WalLogConsistency)]
public sealed class WalJournaledGrain : JournaledBenchGrain;
