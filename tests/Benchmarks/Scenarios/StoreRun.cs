using Actors.Benchmarks.Infrastructure;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>One store and workload to run in <see cref="Stores.RunInterleavedAsync"/>.</summary>
/// <param name="Key">The key of its result.</param>
/// <param name="Store">One of the <see cref="Stores"/> names.</param>
/// <param name="Workload">The full workload (split across the rounds).</param>
/// <param name="Policy">The log's sync policy (ignored by the peers).</param>
internal sealed record StoreRun(string Key, string Store, Workload Workload, SyncPolicy Policy = SyncPolicy.Always);
