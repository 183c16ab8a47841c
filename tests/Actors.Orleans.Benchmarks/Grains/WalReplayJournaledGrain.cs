using Orleans.Providers;

namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>
/// A WAL journaled grain for the activation section: its provider checkpoints rarely, so the grain's history is a
/// checkpoint followed by the events the section lays down after it.
/// </summary>
[GrainType(BenchGrainTypes.WalReplayJournaled)]
[LogConsistencyProvider(ProviderName = ProviderNames.WalReplayLogConsistency)]
public sealed class WalReplayJournaledGrain : JournaledBenchGrain;
