using Actors.Cluster.Diagnostics;
using Actors.Cluster.Partitioning;
using Actors.Hosting.Dashboard;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Diagnostics;

/// <summary>The dashboard's cluster panels render the membership and partition tables as this silo read them.</summary>
public sealed class ClusterPanelSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetPanelAsync_BeforeJoining_ShowsNoPanel()
    {
        var view = new FixedClusterView(null, []);
        Assert.Null(await new ClusterSilosPanelSource(view, NullLogger<ClusterSilosPanelSource>.Instance).GetPanelAsync(CancellationToken.None));
        Assert.Null(await new PartitionsPanelSource(view).GetPanelAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ClusterSilos_GetPanelAsync_OneRowPerSiloWithPartitionsOwnedAndLeaseLeft()
    {
        var view = new FixedClusterView(Snapshot(), [LocalPartitionState.Serving, LocalPartitionState.None, LocalPartitionState.HandingOff, LocalPartitionState.None]);

        DashboardPanel panel = (await new ClusterSilosPanelSource(view, NullLogger<ClusterSilosPanelSource>.Instance).GetPanelAsync(CancellationToken.None))!;

        Assert.Equal("cluster-silos", panel.Id);
        Assert.Equal(3, panel.Rows.Count);
        IReadOnlyList<string> a = panel.Rows.Single(r => r[0] == "silo-a (this silo)");
        Assert.Equal(["silo-a (this silo)", "2", "Active", "10.0.0.1:11111", "10.0.0.1:30000", "7.5 s", "2"], a);
        IReadOnlyList<string> b = panel.Rows.Single(r => r[0] == "silo-b");
        Assert.Equal("1", b[6]);
        Assert.Equal("-", b[4]);
        IReadOnlyList<string> dead = panel.Rows.Single(r => r[0] == "silo-c");
        Assert.Equal("Dead", dead[2]);
        Assert.Equal("-", dead[5]);
        Assert.Equal(new Dictionary<string, double> { ["silo-a"] = 2, ["silo-b"] = 1 }, panel.Chart);
        Assert.Contains("1 unassigned", panel.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSilos_GetPanelAsync_ShowsTheLeasesOfAFreshReadNotThoseOfTheSnapshotKeptByChanges()
    {
        ClusterSnapshot kept = Snapshot();
        ClusterSnapshot fresh = kept with { Silos = [.. kept.Silos.Select(s => s.Name == "silo-b" ? s with { LeaseExpiresAt = Now.AddSeconds(2.5) } : s)] };
        var view = new FixedClusterView(kept, [], fresh);

        DashboardPanel panel = (await new ClusterSilosPanelSource(view, NullLogger<ClusterSilosPanelSource>.Instance).GetPanelAsync(CancellationToken.None))!;

        Assert.Equal("2.5 s", panel.Rows.Single(r => r[0] == "silo-b")[5]);
        Assert.DoesNotContain("could not be read", panel.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSilos_GetPanelAsync_StoreUnreadable_ShowsTheKeptTableAndSaysSo()
    {
        var view = new FixedClusterView(Snapshot(), [], readError: new ClusterStoreException("connection refused"));

        DashboardPanel panel = (await new ClusterSilosPanelSource(view, NullLogger<ClusterSilosPanelSource>.Instance).GetPanelAsync(CancellationToken.None))!;

        Assert.Equal("3.0 s", panel.Rows.Single(r => r[0] == "silo-b")[5]);
        Assert.Contains("could not be read (connection refused)", panel.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partitions_GetPanelAsync_OneRowPerPartitionWithTheMoveTargetAndThisSilosState()
    {
        var view = new FixedClusterView(Snapshot(), [LocalPartitionState.Serving, LocalPartitionState.None, LocalPartitionState.HandingOff, LocalPartitionState.None]);

        DashboardPanel panel = (await new PartitionsPanelSource(view).GetPanelAsync(CancellationToken.None))!;

        Assert.Equal("partitions", panel.Id);
        Assert.Equal(["Partition", "Owner", "Epoch", "State", "On silo-a"], panel.Columns);
        Assert.Equal(["0", "silo-a#2", "3", "Owned", "Serving"], panel.Rows[0]);
        Assert.Equal(["1", "silo-b#1", "1", "Owned", "-"], panel.Rows[1]);
        Assert.Equal(["2", "silo-a#2", "4", "Moving to silo-b", "HandingOff"], panel.Rows[2]);
        Assert.Equal(["3", "(unassigned)", "0", "Owned", "-"], panel.Rows[3]);
        Assert.StartsWith("1 moving; 0 owned here but unreadable", panel.Note, StringComparison.Ordinal);
    }

    private static ClusterSnapshot Snapshot() => new(
        "prod",
        4,
        17,
        Now,
        [
            new SiloRecord("silo-b", 1, SiloStatus.Active, "10.0.0.2:11111", null, Now.AddSeconds(3), Now.AddMinutes(-9), 5),
            new SiloRecord("silo-a", 2, SiloStatus.Active, "10.0.0.1:11111", "10.0.0.1:30000", Now.AddSeconds(7.5), Now.AddMinutes(-10), 4),
            new SiloRecord("silo-c", 1, SiloStatus.Dead, "10.0.0.3:11111", "10.0.0.3:30000", Now.AddSeconds(-30), Now.AddMinutes(-20), 9),
        ],
        [
            new PartitionRecord(0, "silo-a", 2, 3, PartitionState.Owned, null, 3),
            new PartitionRecord(1, "silo-b", 1, 1, PartitionState.Owned, null, 1),
            new PartitionRecord(2, "silo-a", 2, 4, PartitionState.Moving, "silo-b", 6),
            new PartitionRecord(3, null, 0, 0, PartitionState.Owned, null, 0),
        ]);

    private sealed class FixedClusterView(ClusterSnapshot? snapshot, IReadOnlyList<LocalPartitionState> local, ClusterSnapshot? read = null, ClusterStoreException? readError = null) : IClusterView
    {
        public Task<ClusterSnapshot?> ReadTableAsync(CancellationToken cancellationToken)
            => readError is null ? Task.FromResult(read ?? snapshot) : Task.FromException<ClusterSnapshot?>(readError);

        public string SiloName => "silo-a";

        public long Incarnation => 2;

        public bool IsMember => snapshot is not null;

        public bool IsDeclaredDead => false;

        public ClusterSnapshot? Snapshot => snapshot;

        public IReadOnlyList<LocalPartitionState> LocalPartitions => local;

        public IReadOnlyList<string> Gateways => [];

        public long ForwardedCalls => 0;
    }
}
