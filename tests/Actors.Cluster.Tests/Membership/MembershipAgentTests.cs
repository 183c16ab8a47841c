using Actors.Cluster.Membership;
using Actors.Cluster.Tests.Support;
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
}
