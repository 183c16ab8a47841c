using Actors.Cluster.Tests.Grains;
using Actors.Hosting;
using Actors.Serialization;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// Call-chain reentrancy (Orleans's <c>RequestContext.AllowCallChainReentrancy()</c>) when the chain crosses silos:
/// A (silo 1) -> B (silo 2) -> A re-enters A inside the section, and without it waits until the response timeout.
/// Also generic grains called across silos, and untyped values without a codec named by method and parameter.
/// </summary>
public sealed class CrossSiloModelTests
{
    [Fact]
    public async Task CallChain_AcrossTwoSilos_ReentersTheOriginInsideTheSection()
    {
        await using TestCluster cluster = await DeployAsync(TimeSpan.FromSeconds(30));
        (string origin, string peer) = await KeysOnDifferentSilosAsync(cluster);

        string result = await cluster.Client.GetGrain<IHopGrain>(origin).Start(peer, allowReentrancy: true);

        Assert.Equal($"{origin} echoes via {peer}", result);
    }

    [Fact]
    public async Task CallChain_AcrossTwoSilosWithoutTheSection_TimesOutAsInOrleans()
    {
        await using TestCluster cluster = await DeployAsync(TimeSpan.FromSeconds(2));
        (string origin, string peer) = await KeysOnDifferentSilosAsync(cluster);
        IHopGrain grain = cluster.Primary.Services.GetRequiredService<IGrainFactory>().GetGrain<IHopGrain>(origin);

        await Assert.ThrowsAnyAsync<TimeoutException>(() => grain.Start(peer, allowReentrancy: false));
    }

    [Fact]
    public async Task GenericGrain_CalledFromAnotherSilo_ClosedTypesAreDistinctGrainsOnTheirOwners()
    {
        await using TestCluster cluster = await DeployAsync(TimeSpan.FromSeconds(30));
        IGrainFactory primary = cluster.Primary.Services.GetRequiredService<IGrainFactory>();
        string host = await primary.GetGrain<IBagGrain<int>>("bag").Where();
        IGrainFactory caller = cluster.Silos.First(s => s.Name != host).Services.GetRequiredService<IGrainFactory>();

        await caller.GetGrain<IBagGrain<int>>("bag").Add(7);
        await caller.GetGrain<IBagGrain<string>>("bag").Add("seven");

        int[] ints = await caller.GetGrain<IBagGrain<int>>("bag").Items();
        string[] strings = await cluster.Client.GetGrain<IBagGrain<string>>("bag").Items();

        Assert.Equal([7], ints);
        Assert.Equal(["seven"], strings);
        Assert.Equal(host, await caller.GetGrain<IBagGrain<int>>("bag").Where());
    }

    [Fact]
    public async Task ForwardedCall_UntypedArgumentWithoutCodec_TypedErrorNamingMethodAndParameter()
    {
        await using TestCluster cluster = await DeployAsync(TimeSpan.FromSeconds(30));
        (IHopGrain remote, _) = await RemoteAsync(cluster, "untyped-argument");

        CodecNotFoundException ex = await Assert.ThrowsAsync<CodecNotFoundException>(() => remote.EchoObject(new UnmarkedHopValue { Value = 2 }));

        Assert.Equal(typeof(UnmarkedHopValue), ex.Type);
        Assert.Equal("IHopGrain.EchoObject(value)", ex.MemberPath);
        Assert.Equal(12.5m, await remote.EchoObject(12.5m));
    }

    [Fact]
    public async Task ForwardedCall_UntypedResultWithoutCodec_CallerGetsTypedErrorNamingTheResult()
    {
        await using TestCluster cluster = await DeployAsync(TimeSpan.FromSeconds(30));
        (IHopGrain remote, _) = await RemoteAsync(cluster, "untyped-result");

        CodecNotFoundException ex = await Assert.ThrowsAsync<CodecNotFoundException>(() => remote.MakeUnmarked());

        Assert.Equal(typeof(UnmarkedHopValue), ex.Type);
        Assert.StartsWith("IHopGrain.MakeUnmarked(result)", ex.MemberPath, StringComparison.Ordinal);
    }

    // The grain of the key as seen from a silo other than the one it runs on.
    private static async Task<(IHopGrain Grain, string Host)> RemoteAsync(TestCluster cluster, string key)
    {
        string host = await cluster.Primary.Services.GetRequiredService<IGrainFactory>().GetGrain<IHopGrain>(key).Where();
        IHopGrain grain = cluster.Silos.First(s => s.Name != host).Services.GetRequiredService<IGrainFactory>().GetGrain<IHopGrain>(key);
        Assert.Equal(host, await grain.Where());
        return (grain, host);
    }

    // Balanced: the keys' placement spreads them over the partitions, and a silo owns partitions only once they are balanced
    // (before, every key can still land on the first silo).
    private static Task<TestCluster> DeployAsync(TimeSpan responseTimeout) => TestClusters.DeployBalancedAsync(2, builder => builder.ConfigureSilo(silo => silo
        .AddGrain<HopGrain>()
        .AddGrain(typeof(BagGrain<>))
        .Services.Configure<SiloOptions>(o => o.ResponseTimeout = responseTimeout)));

    // Two grain keys whose activations run on different silos (grain placement spreads keys over the partitions).
    private static async Task<(string Origin, string Peer)> KeysOnDifferentSilosAsync(TestCluster cluster)
    {
        IGrainFactory factory = cluster.Primary.Services.GetRequiredService<IGrainFactory>();
        string originHost = await factory.GetGrain<IHopGrain>("origin").Where();
        for (int i = 0; i < 256; i++)
        {
            string key = "peer-" + i;
            if (await factory.GetGrain<IHopGrain>(key).Where() != originHost)
            {
                return ("origin", key);
            }
        }

        throw new InvalidOperationException($"No key among peer-0..peer-255 was placed off silo {originHost}.");
    }
}
