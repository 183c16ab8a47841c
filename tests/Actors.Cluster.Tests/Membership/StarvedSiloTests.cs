using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Membership;

/// <summary>
/// A silo starved of CPU (a hog beside it) stops renewing its lease. Deterministic, on one hand-moved clock for the store
/// and the silo: a starvation shorter than the lease never lets a peer declare it dead, and a longer one lets a peer do
/// so only after the silo has fenced itself (its own lease ended locally), so the two never act as owners at once.
/// </summary>
public sealed class StarvedSiloTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task StarvedShorterThanTheLease_PeersDoNotDeclareItDead_AndItsNextRenewalKeepsIt()
    {
        var clock = new ManualClock();
        var store = new InMemoryClusterStore(clock);
        await using MembershipAgent hog = await JoinAsync(store, clock, "short", "hog");
        await using MembershipAgent peer = await JoinAsync(store, clock, "short", "peer");

        for (int round = 0; round < 5; round++)
        {
            // The hog starves the silo for 0.9 of a lease; its peer keeps renewing and looking for expired leases.
            for (int tick = 0; tick < 9; tick++)
            {
                clock.Advance(Lease / 10);
                await peer.RenewOnceAsync(CancellationToken.None);
            }

            Assert.True(hog.Lease.IsValid, $"round {round}: the silo's own lease still holds 0.9 leases after its last renewal");
            Assert.Equal(SiloStatus.Active, await StatusOfHogAsync(store, "short"));

            // The hog lets the silo run once: one renewal round.
            await hog.RenewOnceAsync(CancellationToken.None);
            Assert.False(hog.IsDeclaredDead, $"round {round}: the renewal after 0.9 leases found the silo dead");
            Assert.True(hog.Lease.Remaining > Lease / 2, $"round {round}: the renewal extended the silo's lease (remaining {hog.Lease.Remaining})");
        }
    }

    [Fact]
    public async Task StarvedLongerThanTheLease_FencesItselfBeforeAPeerDeclaresItDead_ThenLearnsItWasDeclaredDead()
    {
        var clock = new ManualClock();
        var store = new InMemoryClusterStore(clock);
        await using MembershipAgent hog = await JoinAsync(store, clock, "long", "hog");
        await using MembershipAgent peer = await JoinAsync(store, clock, "long", "peer");
        TimeSpan step = Lease / 100;
        TimeSpan elapsed = TimeSpan.Zero;
        TimeSpan? fencedAt = null;
        TimeSpan? declaredAt = null;

        while (elapsed < Lease * 3 && declaredAt is null)
        {
            clock.Advance(step);
            elapsed += step;
            if (!hog.Lease.IsValid)
            {
                fencedAt ??= elapsed;
            }

            await peer.RenewOnceAsync(CancellationToken.None);
            if (await StatusOfHogAsync(store, "long") == SiloStatus.Dead)
            {
                declaredAt = elapsed;
                Assert.False(hog.Lease.IsValid, $"the peer declared the silo dead at +{elapsed} while the silo's own lease still held");
            }
        }

        Assert.NotNull(declaredAt);
        Assert.NotNull(fencedAt);
        Assert.True(fencedAt < declaredAt, $"the silo fenced itself at +{fencedAt}, not before it was declared dead at +{declaredAt}");
        Assert.True(declaredAt <= Lease + Lease / 10, $"the starved silo was declared dead only at +{declaredAt}, more than a tenth of a lease after its lease ended");

        // When the hog finally lets it run, its first renewal finds it dead: it stops for good.
        await hog.RenewOnceAsync(CancellationToken.None);
        Assert.True(hog.IsDeclaredDead);
        Assert.False(hog.Lease.IsValid);
    }

    private static async Task<MembershipAgent> JoinAsync(InMemoryClusterStore store, ManualClock clock, string cluster, string name)
    {
        var options = new ClusterOptions { ClusterId = cluster, PartitionCount = 2, LeaseDuration = Lease, LeaseRenewPeriod = Lease / 3 };
        var agent = new MembershipAgent(store, options, name, () => name + ":1", () => null, clock, NullLogger.Instance);
        await agent.JoinAsync(CancellationToken.None);
        Assert.True(agent.Lease.IsValid);
        return agent;
    }

    private static async Task<SiloStatus> StatusOfHogAsync(InMemoryClusterStore store, string cluster)
        => (await store.ReadAsync(cluster, CancellationToken.None)).FindSilo("hog")!.Status;
}
