using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>
/// <c>ClearStateAsync</c> removes the cleared value physically, whatever the store's history mode: after
/// compaction it is in no file of the log directory (every file scanned; older state checkpoints that held it included),
/// while the grain's other states survive a restart.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PhysicalClearClusterTests
{
    private const string Secret = "SECRET-NAME-";

    [Theory]
    [InlineData(EventHistoryPolicy.ReclaimAfterCheckpoint)]
    [InlineData(EventHistoryPolicy.KeepAll)]
    public async Task ClearStateAsync_ClearedValueInNoFileAfterCompactionAndOtherStateSurvivesRestart(EventHistoryPolicy history)
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o =>
        {
            o.EventHistory = history;
            o.SegmentSizeBytes = 64 * 1024;
            o.MaxRecordSizeBytes = 32 * 1024;
            o.CheckpointEveryEvents = 2; // state checkpoints that hold the secret too
        });
        IProfileGrain grain = cluster.Client.GetGrain<IProfileGrain>("pii");
        await grain.Visit(Secret + "1");
        await grain.VisitAndAudit(Secret + "2", "audit-kept");
        await grain.Visit(Secret + "3");
        string directory = WalCluster.LogDirectory(cluster);
        Assert.NotEmpty(LogFileProbe.FilesContaining(directory, Secret));

        ProfileSnapshot cleared = await grain.Clear();

        Assert.False(cleared.ProfileExists);
        Assert.Null(cleared.ProfileETag);
        Assert.Equal(1, cleared.AuditEntries);
        await LogFileProbe.CompactUntilGoneAsync((WriteAheadLog)await WalCluster.Store(cluster).GetLogAsync(), directory, Secret);
        Assert.NotEmpty(LogFileProbe.FilesContaining(directory, "audit-kept"));

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        grain = cluster.Client.GetGrain<IProfileGrain>("pii");
        ProfileSnapshot restarted = await grain.Get();

        Assert.Equal(("", 0, false), (restarted.Name, restarted.Visits, restarted.ProfileExists));
        Assert.Equal((1, true), (restarted.AuditEntries, restarted.AuditExists));
        Assert.Empty(LogFileProbe.FilesContaining(WalCluster.LogDirectory(cluster), Secret));
        ProfileSnapshot again = await grain.Visit("after");
        Assert.Equal(("after", 1, true), (again.Name, again.Visits, again.ProfileExists));
    }
}
