using Actors.Client;
using Actors.Cluster.Tests.Grains;
using Actors.Runtime;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// Calls forwarded between silos use the binary serializer, as the gateway does: values JSON would lose (value tuples,
/// abstract-typed fields), the grain's own exception type, the request context and cancellation all cross.
/// </summary>
public sealed class CrossSiloWireTests
{
    [Fact]
    public async Task ForwardedCall_ValueTupleAndAbstractTypedFields_SurviveTheHop()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(2);
        (IWireCrossingGrain grain, string host) = await RemoteGrainAsync(cluster, "shapes");
        var drawing = new Drawing("plan", new Circle(2) { Label = "sun" }, [new Square(1) { Label = "hut" }, new Circle(0.5)]);

        (int count, string label, Shape? largest) = await grain.Summarize(drawing);
        Drawing echoed = await grain.Echo(drawing);

        Assert.NotEqual(host, CallerOf(cluster, host).Name);
        Assert.Equal(3, count);
        Assert.Equal("plan", label);
        Circle circle = Assert.IsType<Circle>(largest);
        Assert.Equal(2, circle.Radius);
        Assert.Equal("sun", circle.Label);
        Assert.Equal(drawing.Title, echoed.Title);
        Assert.Equal(drawing.Main, echoed.Main);
        Assert.Equal(drawing.Others, echoed.Others);
    }

    [Fact]
    public async Task ForwardedCall_GrainThrows_CallerGetsTheExceptionTypeAndFields()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(2);
        (IWireCrossingGrain grain, _) = await RemoteGrainAsync(cluster, "refusals");

        DrawingRefusedException refused = await Assert.ThrowsAsync<DrawingRefusedException>(() => grain.Refuse("no room", 42));

        Assert.Equal("no room", refused.Message);
        Assert.Equal(42, refused.Code);
    }

    [Fact]
    public async Task ClientThroughAnotherSilosGateway_GrainThrows_ClientGetsTheExceptionTypeAndFields()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(2);
        (_, string host) = await RemoteGrainAsync(cluster, "client-refusals");
        SiloHandle gateway = CallerOf(cluster, host);
        await using IClusterClient client = new ClusterClientBuilder().UseGateway($"127.0.0.1:{gateway.GatewayPort}").Build();
        await client.ConnectAsync();
        IWireCrossingGrain grain = client.GetGrain<IWireCrossingGrain>("client-refusals");

        Assert.Equal(host, await grain.Where());
        DrawingRefusedException refused = await Assert.ThrowsAsync<DrawingRefusedException>(() => grain.Refuse("overdrawn", 7));

        Assert.Equal("overdrawn", refused.Message);
        Assert.Equal(7, refused.Code);
    }

    [Fact]
    public async Task ForwardedCall_RequestContext_ArrivesOnTheServingSilo()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(2);
        (IWireCrossingGrain grain, _) = await RemoteGrainAsync(cluster, "context");

        RequestContext.Set("tenant", "blue");
        try
        {
            Assert.Equal("blue", await grain.ReadContext("tenant"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task ForwardedCall_CancellableToken_CancelledOnTheServingSilo()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(2);
        (IWireCrossingGrain grain, _) = await RemoteGrainAsync(cluster, "cancel");
        using var cancellation = new CancellationTokenSource();

        Task<bool> waiting = grain.WaitForCancellation(cancellation.Token);
        await cancellation.CancelAsync();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(60)), "the grain saw its token cancelled");
    }

    /// <summary>The grain of <paramref name="key"/> as seen from a silo other than the one it runs on.</summary>
    private static async Task<(IWireCrossingGrain Grain, string Host)> RemoteGrainAsync(TestCluster cluster, string key)
    {
        string host = await cluster.Primary.Services.GetRequiredService<IGrainFactory>().GetGrain<IWireCrossingGrain>(key).Where();
        IGrainFactory caller = CallerOf(cluster, host).Services.GetRequiredService<IGrainFactory>();
        IWireCrossingGrain grain = caller.GetGrain<IWireCrossingGrain>(key);
        Assert.Equal(host, await grain.Where());
        return (grain, host);
    }

    private static SiloHandle CallerOf(TestCluster cluster, string host) => cluster.Silos.First(s => s.Name != host);
}
