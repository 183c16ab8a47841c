using System.Numerics;
using Actors.Client;
using Actors.Hosting.Tests.Gateway;
using Actors.Runtime;
using Actors.Serialization;
using Actors.TestingHost;

namespace Actors.Hosting.Tests.WirePath;

/// <summary>
/// Values of every shape the issue names, through the test cluster's default client: a real gateway connection (binary
/// serializer, frames, a TCP socket) to a silo, so these are what a remote client sees.
/// </summary>
public sealed class WireRoundTripTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = new TestClusterBuilder().ConfigureSilo(silo => silo.AddGrain<WireShapesGrain>()).Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IWireShapesGrain Grain(string key = "w") => _cluster.Client.GetGrain<IWireShapesGrain>(key);

    [Fact]
    public async Task TryGetProduct_ValueTupleResult_ArrivesWithBothItems()
    {
        (bool found, ProductDetails? details) = await Grain().TryGetProduct("known");

        Assert.True(found);
        Assert.NotNull(details);
        Assert.Equal(("Kettle", 39.95m), (details.Name, details.Price));
        Assert.Equal(["kitchen", "electric"], details.Tags.ToArray());
        Assert.Equal((false, null), await Grain().TryGetProduct("unknown"));
    }

    [Fact]
    public async Task EchoEvent_AbstractDeclaredType_DerivedValueKeepsItsType()
    {
        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(2));
        var added = new TodoAdded(Guid.NewGuid(), "write tests") { At = at };

        TodoEvent echoed = await Grain().EchoEvent(added);
        IReadOnlyList<TodoEvent> history = await Grain().History([added, new TodoRemoved(added.Id) { At = at }]);

        Assert.Equal(added, Assert.IsType<TodoAdded>(echoed));
        Assert.Equal(at.Offset, echoed.At.Offset);
        Assert.Collection(history, e => Assert.Equal(added, e), e => Assert.Equal(added.Id, Assert.IsType<TodoRemoved>(e).Id));
    }

    [Fact]
    public async Task Map_DictionaryOfTuplesWithNullableBigInteger_RoundTripsExactly()
    {
        var value = new Dictionary<string, (int, BigInteger?)>
        {
            ["a"] = (1, BigInteger.Pow(10, 40)),
            ["b"] = (-2, null),
        };

        Assert.Equal(value, await Grain().Map(value));
    }

    [Fact]
    public async Task EchoObject_UntypedSlot_ValueKeepsItsRuntimeType()
    {
        Assert.Equal(12.5m, await Grain().EchoObject(12.5m));
        Assert.Equal(new[] { 1, 2 }, Assert.IsType<int[]>(await Grain().EchoObject(new[] { 1, 2 })));
        Assert.Null(await Grain().EchoObject(null));
    }

    [Fact]
    public async Task EchoObject_ValueWithoutSerializer_TypedErrorNamingTheTypeMethodAndParameterAndNothingSent()
    {
        int before = await Grain("unsent").Calls();

        CodecNotFoundException ex = await Assert.ThrowsAsync<CodecNotFoundException>(() => Grain("unsent").EchoObject(new NotMarked { Value = 3 }));

        Assert.Equal(typeof(NotMarked), ex.Type);
        Assert.Contains(nameof(NotMarked), ex.Message, StringComparison.Ordinal);
        Assert.Equal("IWireShapesGrain.EchoObject(value)", ex.MemberPath);
        Assert.Equal(before, await Grain("unsent").Calls());
    }

    [Fact]
    public async Task MakeUnmarked_SiloCannotSerializeTheResult_ClientGetsCodecNotFoundWithItsTypeAndTheMethod()
    {
        CodecNotFoundException ex = await Assert.ThrowsAsync<CodecNotFoundException>(() => Grain().MakeUnmarked(3));

        Assert.Equal(typeof(NotMarked), ex.Type);
        Assert.Contains(nameof(NotMarked), ex.Message, StringComparison.Ordinal);
        Assert.Contains("[GenerateSerializer]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(at IWireShapesGrain.MakeUnmarked(result))", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForCancellation_ClientCancelsTokenArgument_GrainObservesCancellation()
    {
        using var cancellation = new CancellationTokenSource();
        Task<int> waiting = Grain("cancel").WaitForCancellation(cancellation.Token);
        await Await.WithinAsync(WireShapesGrain.WaitingIn("cancel").ContinueWith(_ => true, TaskScheduler.Default), "the grain to receive the call");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Await.WithinAsync(waiting, "the cancelled call to end"));
        Assert.True(await Grain("cancel").WasCancelled());
    }

    [Fact]
    public async Task WaitForCancellation_TokenAlreadyCancelled_GrainSeesCancelledToken()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Grain("precancelled").WaitForCancellation(new CancellationToken(canceled: true)));
        Assert.True(await Grain("precancelled").WasCancelled());
    }

    [Fact]
    public async Task Reject_GeneratedExceptionType_ClientCatchesItWithItsFields()
    {
        OrderRejectedException ex = await Assert.ThrowsAsync<OrderRejectedException>(() => Grain().Reject("out of stock", 409));

        Assert.Equal("out of stock", ex.Message);
        Assert.Equal(409, ex.Code);
        Assert.Contains(nameof(WireShapesGrain), ex.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadContext_ClientRequestContext_ReachesTheGrainAndItsCallees()
    {
        RequestContext.Set("tenant", "contoso");
        try
        {
            Assert.Equal("contoso", await Grain().ReadContext("tenant"));
            Assert.Equal($"{Grain("other").GetGrainId()}:contoso", await Grain().CallThrough(Grain("other"), "tenant"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task RestartSiloAsync_ClientCallsRightAfter_CallsSucceedOnANewConnection()
    {
        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(0, await Grain($"restart{round}").Calls());
            await _cluster.RestartSiloAsync(_cluster.Primary);
            Assert.Equal((false, null), await Grain($"restart{round}").TryGetProduct("unknown"));
        }
    }
}
