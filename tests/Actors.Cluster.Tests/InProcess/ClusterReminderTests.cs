using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Grains;
using Actors.Hosting;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// Reminders in a cluster: a grain's reminder rows live in its partition's log, fire on the partition's owner only, and
/// move with the partition (join, graceful leave) or wait for the owner's restart (kill).
/// </summary>
public sealed class ClusterReminderTests
{
    private static readonly string GrainType = GrainTypeNames.ForClass(typeof(ClusterReminderGrain));

    [Fact]
    public async Task Reminders_SiloJoinsThenOneLeaves_EveryReminderKeepsFiringOnItsPartitionOwnerOnly()
    {
        await using TestCluster cluster = await DeployAsync(3);
        string[] keys = await RegisterAsync(cluster, "move", 40);

        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        await cluster.WaitForPartitionsBalancedAsync(Patience);
        string[] afterJoin = await TicksFromOwnersOnlyAsync(cluster, keys);
        Assert.Contains(joined.Name, afterJoin);

        string leaving = cluster.Silos[1].Name;
        await cluster.StopSiloAsync(cluster.Silos[1]);
        await cluster.WaitForPartitionsBalancedAsync(Patience);
        string[] afterLeave = await TicksFromOwnersOnlyAsync(cluster, keys);
        Assert.DoesNotContain(leaving, afterLeave);
    }

    [Fact]
    public async Task Reminders_OwnerKilled_ResumeWhenItRestartsOnItsVolume()
    {
        await using TestCluster cluster = await DeployAsync(3);
        string[] keys = await RegisterAsync(cluster, "kill", 24);
        IClusterView view = cluster.Primary.Services.GetRequiredService<IClusterView>();
        string victim = cluster.Silos[1].Name;
        string[] onVictim = keys.Where(k => OwnerOf(view.Snapshot!, k) == victim).ToArray();
        Assert.NotEmpty(onVictim);

        await cluster.KillSiloAsync(cluster.Silos[1]);
        await Eventually.TrueAsync(() => view.Snapshot!.FindSilo(victim)!.Status == SiloStatus.Dead, TimeSpan.FromSeconds(30), $"{victim} declared dead");
        Dictionary<string, int> atRestart = onVictim.ToDictionary(k => k, ClusterTicks.Count);
        await cluster.RestartSiloAsync(cluster.Silos[1]);

        await Eventually.TrueAsync(() => onVictim.All(k => ClusterTicks.Count(k) >= atRestart[k] + 2), Patience, "every reminder of the killed owner ticks again after its restart");
        Assert.All(onVictim, k => Assert.Equal(victim, ClusterTicks.SilosAfter(k, atRestart[k]).Distinct().Single()));
        string[] others = keys.Except(onVictim).ToArray();
        Dictionary<string, int> now = others.ToDictionary(k => k, ClusterTicks.Count);
        await Eventually.TrueAsync(() => others.All(k => ClusterTicks.Count(k) >= now[k] + 2), Patience, "the other silos' reminders keep ticking");
    }

    [Fact]
    public async Task ClusterSilo_WithInMemoryReminderTable_RefusesToStart()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestClusters.DeployAsync(1, b => b.AddSiloBuilderConfigurator<InMemoryReminderSilo>()));

        Assert.Contains("UseWriteAheadLogReminderService", error.Message, StringComparison.Ordinal);
    }

    private sealed class InMemoryReminderSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddGrain<ClusterReminderGrain>().UseInMemoryReminderService();
    }

    private static Task<TestCluster> DeployAsync(short silos) => TestClusters.DeployAsync(silos, b => b.AddSiloBuilderConfigurator<ClusterReminderSilo>());

    /// <summary>Registers one reminder on each of <paramref name="count"/> grains (spread over the partitions) and waits for two ticks of each.</summary>
    private static async Task<string[]> RegisterAsync(TestCluster cluster, string prefix, int count)
    {
        await cluster.WaitForPartitionsBalancedAsync(Patience);
        string run = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        string[] grains = Enumerable.Range(0, count).Select(i => $"{run}-{i}").ToArray();
        await Task.WhenAll(grains.Select(g => cluster.Client.GetGrain<IClusterReminderGrain>(g).Register("beat", TimeSpan.Zero, ClusterReminderSilo.Period)));
        string[] keys = grains.Select(g => g + "/beat").ToArray();
        await Eventually.TrueAsync(() => keys.All(k => ClusterTicks.Count(k) >= 2), Patience, "two ticks of every reminder");
        return keys;
    }

    /// <summary>
    /// With the partitions settled: every reminder ticks twice more, and each of those ticks was delivered by the current
    /// owner of the grain's partition (a silo that gave the partition up fires none). Returns the silos that delivered.
    /// </summary>
    private static async Task<string[]> TicksFromOwnersOnlyAsync(TestCluster cluster, string[] keys)
    {
        ClusterSnapshot snapshot = cluster.Primary.Services.GetRequiredService<IClusterView>().Snapshot!;
        Dictionary<string, int> mark = keys.ToDictionary(k => k, ClusterTicks.Count);
        await Eventually.TrueAsync(() => keys.All(k => ClusterTicks.Count(k) >= mark[k] + 2), Patience, "two more ticks of every reminder");
        foreach (string key in keys)
        {
            string owner = OwnerOf(snapshot, key);
            string[] silos = ClusterTicks.SilosAfter(key, mark[key]);
            Assert.True(silos.All(s => s == owner), $"{key}: ticks after the move came from [{string.Join(", ", silos)}]; its partition's owner is {owner}");
        }

        return [.. keys.Select(k => OwnerOf(snapshot, k)).Distinct()];
    }

    private static string OwnerOf(ClusterSnapshot snapshot, string key)
    {
        var grainId = new GrainId(GrainType, key[..key.LastIndexOf('/')]);
        return snapshot.Partitions[PartitionMap.GetPartition(grainId, snapshot.PartitionCount)].Owner!;
    }
}
