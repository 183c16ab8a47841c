using Actors.Orleans.Benchmarks.Grains;
using Actors.Wal;

namespace Actors.Orleans.Benchmarks.Hosting;

/// <summary>The write-ahead log's providers (Actors.Orleans) under the names the benchmark grains use.</summary>
internal static class WalProviders
{
    /// <summary>
    /// The replay provider's byte trigger for <paramref name="laterEvents"/> events of <paramref name="payloadBytes"/>
    /// after the checkpoint: the provider checkpoints after between half of it and all of it (staggered per grain), so
    /// it must be over twice what the later events take (each record: the payload plus under 128 bytes of encoding).
    /// </summary>
    public static long ReplayCheckpointBytes(int laterEvents, int payloadBytes) => 4L * Math.Max(1, laterEvents) * (payloadBytes + 128);

    public static void Add(ISiloBuilder silo, string directory, int checkpointEveryEvents, long replayCheckpointBytes, WriteAheadLogHistory journalHistory)
    {
        silo.AddWriteAheadLog(o =>
        {
            o.Directory = directory;
            o.SyncPolicy = SyncPolicy.Always;
        });
        silo.AddWriteAheadLogGrainStorage(ProviderNames.WalStorage);
        silo.AddWriteAheadLogLogConsistencyProvider(ProviderNames.WalLogConsistency, o =>
        {
            o.CheckpointEveryEvents = checkpointEveryEvents;
            o.EventHistory = journalHistory;
        });
        silo.AddWriteAheadLogLogConsistencyProvider(ProviderNames.WalReplayLogConsistency, o =>
        {
            o.CheckpointEveryEvents = 0;
            o.CheckpointEveryBytes = replayCheckpointBytes;
        });
    }
}
