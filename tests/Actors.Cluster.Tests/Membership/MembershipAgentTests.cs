using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Membership;

/// <summary>The membership agent over the in-memory store with the real clock.</summary>
public sealed class MembershipAgentTests
{
    [Fact]
    public async Task SetStatusAsync_LeftWhileRenewing_RenewalSeesItsOwnLeaveAndDoesNotDeclareTheSiloDead()
    {
        var store = new InMemoryClusterStore();
        var options = new ClusterOptions { ClusterId = "leave", PartitionCount = 2, LeaseDuration = TimeSpan.FromSeconds(3), LeaseRenewPeriod = TimeSpan.FromMilliseconds(20) };
        await using var agent = new MembershipAgent(store, options, "s", () => "s:1", () => null, TimeProvider.System, NullLogger.Instance);
        string? declaredDead = null;
        agent.DeclaredDead += reason => declaredDead = reason;
        await agent.JoinAsync(CancellationToken.None);
        agent.StartRenewing();

        Assert.True(await agent.SetStatusAsync(SiloStatus.ShuttingDown, CancellationToken.None));
        Assert.True(await agent.SetStatusAsync(SiloStatus.Left, CancellationToken.None));
        await Eventually.TrueAsync(() => agent.HasLeft, TimeSpan.FromSeconds(30), "a renewal after the leave");

        Assert.False(agent.IsDeclaredDead);
        Assert.Null(declaredDead);
        Assert.False(agent.Lease.IsValid);
    }

    [Fact]
    public async Task Renewal_RowEditedToLeftByAnother_DeclaresTheSiloNoLongerAMember()
    {
        var store = new InMemoryClusterStore();
        var options = new ClusterOptions { ClusterId = "edited", PartitionCount = 2, LeaseDuration = TimeSpan.FromSeconds(3), LeaseRenewPeriod = TimeSpan.FromMilliseconds(20) };
        await using var agent = new MembershipAgent(store, options, "s", () => "s:1", () => null, TimeProvider.System, NullLogger.Instance);
        await agent.JoinAsync(CancellationToken.None);
        agent.StartRenewing();
        SiloRecord row = (await store.ReadAsync("edited", CancellationToken.None)).FindSilo("s")!;

        Assert.True(await store.TryApplyAsync("edited", new ClusterUpdate().Write(row with { Status = SiloStatus.Left }, row.Version), CancellationToken.None));

        await Eventually.TrueAsync(() => agent.IsDeclaredDead, TimeSpan.FromSeconds(30), "the renewal that finds the row Left");
        Assert.False(agent.HasLeft);
    }

    [Fact]
    public async Task RefreshAsync_AfterTheFirstRead_ReadsOnlyTheChangedRowsAndKeepsTheWholeTable()
    {
        var counting = new CountingClusterStore(new InMemoryClusterStore());
        var options = new ClusterOptions { ClusterId = "delta", PartitionCount = 64, LeaseDuration = TimeSpan.FromSeconds(30), LeaseRenewPeriod = TimeSpan.FromSeconds(5) };
        await using var agent = new MembershipAgent(counting, options, "a", () => "a:1", () => "a:2", TimeProvider.System, NullLogger.Instance);
        await agent.JoinAsync(CancellationToken.None);
        Assert.Equal(1, counting.WholeReads);

        Assert.True(await counting.TryApplyAsync("delta", new ClusterUpdate().Write(new SiloRecord("b", 1, SiloStatus.Active, "b:1", "b:2", default, default, 0), 0, options.LeaseDuration), CancellationToken.None));
        PartitionRecord p7 = agent.Current!.Partitions[7];
        Assert.True(await agent.TryApplyAsync(new ClusterUpdate().Write(p7 with { Owner = "b", OwnerIncarnation = 1, Epoch = 1 }, p7.Version), CancellationToken.None));
        int rowsBefore = counting.ChangedRows;
        ClusterSnapshot unchanged = await agent.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, counting.WholeReads);
        Assert.Equal(2, counting.ChangedRows);
        Assert.Equal(rowsBefore, counting.ChangedRows);
        ClusterSnapshot whole = await counting.ReadAsync("delta", CancellationToken.None);
        Assert.Equal(whole.TableVersion, unchanged.TableVersion);
        Assert.Equal(whole.Silos, unchanged.Silos);
        Assert.Equal(whole.Partitions, unchanged.Partitions);
        Assert.Equal(["a:2", "b:2"], agent.Current!.ActiveGateways());
    }
}
