using Actors.Client;
using Actors.Invocation;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayRoundTripTests
{
    [Fact]
    public async Task Invoke_Add_ReturnsSumFromSilo()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            Assert.Equal(5, await invoker.InvokeAsync(TestCalls.Call("Add", 2, 3)));
            Assert.Equal("héllo", await invoker.InvokeAsync(TestCalls.Call("Echo", "héllo")));
            Assert.Null(await invoker.InvokeAsync(TestCalls.Call("Echo", [null])));
            Assert.Equal("testgateway/key-42", await invoker.InvokeAsync(TestCalls.CallOn("key-42", "Who")));
            Assert.Null(await invoker.InvokeAsync(TestCalls.Call("Nothing")));
        }
    }

    [Fact]
    public async Task Invoke_GrainThrows_ClientGetsTheExceptionTypeAndMessage()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(
                async () => await invoker.InvokeAsync(TestCalls.Call("Fail", "insufficient funds: 42")));
            Assert.Equal("insufficient funds: 42", ex.Message);
            Assert.Contains(nameof(FakeGrainInvoker), ex.StackTrace, StringComparison.Ordinal);

            // The connection survives a grain exception.
            Assert.Equal(3, await invoker.InvokeAsync(TestCalls.Call("Add", 1, 2)));
        }
    }

    [Fact]
    public async Task Invoke_UnknownMethodKey_ErrorResponseAndConnectionKeepsWorking()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
        await raw.SendAsync(Wire.GatewayFrameCodec.EncodeRequest(77, GrainId.Create("x", "y"), "No.Such.Method()", []));
        (Wire.GatewayFrameKind kind, byte[] body) = await raw.ReadFrameAsync();
        Wire.ResponseFrame response = Wire.GatewayFrameCodec.DecodeResponse(body);
        Assert.Equal((Wire.GatewayFrameKind.Response, 77UL, Wire.GatewayResponseStatus.Error), (kind, response.CorrelationId, response.Status));
        Assert.Equal(typeof(MissingMethodException).FullName, response.ErrorType);
        Assert.Contains("No.Such.Method()", response.ErrorMessage, StringComparison.Ordinal);

        byte[] argument = new Serialization.Serializer().SerializeToArray("still here");
        await raw.SendAsync(Wire.GatewayFrameCodec.EncodeRequest(78, GrainId.Create("x", "y"), TestCalls.Method("Echo").Key, [argument]));
        Wire.ResponseFrame second = Wire.GatewayFrameCodec.DecodeResponse((await raw.ReadFrameAsync()).Body);
        Assert.Equal((78UL, Wire.GatewayResponseStatus.Ok), (second.CorrelationId, second.Status));
    }

    [Fact]
    public async Task Invoke_WrongArgumentCountOrUnreadableArgument_ErrorResponse()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
        string addKey = TestCalls.Method("Add").Key;
        await raw.SendAsync(Wire.GatewayFrameCodec.EncodeRequest(1, GrainId.Create("x", "y"), addKey, [[(byte)'1']]));
        Wire.ResponseFrame countError = Wire.GatewayFrameCodec.DecodeResponse((await raw.ReadFrameAsync()).Body);
        Assert.Equal(typeof(ArgumentException).FullName, countError.ErrorType);

        await raw.SendAsync(Wire.GatewayFrameCodec.EncodeRequest(2, GrainId.Create("x", "y"), addKey, [[(byte)'{'], [(byte)'2']]));
        Wire.ResponseFrame argumentError = Wire.GatewayFrameCodec.DecodeResponse((await raw.ReadFrameAsync()).Body);
        Assert.Equal(typeof(Serialization.WireFormatException).FullName, argumentError.ErrorType);
        Assert.IsType<Serialization.WireFormatException>(new Serialization.Serializer().Deserialize<Exception>(argumentError.Exception));
    }

    [Fact]
    public async Task Invoke_ThousandConcurrentCallsOnOneConnection_AllCorrect()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            Task<object?>[] calls = Enumerable.Range(0, 1000)
                .Select(i => invoker.InvokeAsync(TestCalls.CallOn($"g{i % 17}", "Add", i, 1000)).AsTask())
                .ToArray();
            object?[] results = await Await.WithinAsync(Task.WhenAll(calls), "1000 concurrent calls on one connection", Await.DefaultLimitSeconds);
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => (object?)(i + 1000)), results);
            Assert.Equal(1, silo.Info.ActiveConnections);
        }
    }

    [Fact]
    public async Task Invoke_SlowCallThenFastCall_ResponsesArriveOutOfOrder()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            Task<object?> slow = invoker.InvokeAsync(TestCalls.Call("Gate", 1)).AsTask();
            Assert.Equal(9, await invoker.InvokeAsync(TestCalls.Call("Add", 4, 5)));
            Assert.False(slow.IsCompleted, "the gated call must still be waiting after the later call completed");
            silo.Invoker.GateFor(1).SetResult(123);
            Assert.Equal(123, await Await.WithinAsync(slow, "the gated call after its gate opened"));
        }
    }

    [Fact]
    public async Task Invoke_ManyClientsConcurrently_AllCorrect()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        var clients = Enumerable.Range(0, 20).Select(_ => TestClients.Create(silo.Address)).ToArray();
        try
        {
            Task<object?[]>[] work = clients.Select((c, n) => Task.WhenAll(Enumerable.Range(0, 50)
                .Select(i => c.Invoker.InvokeAsync(TestCalls.CallOn($"c{n}", "Add", n, i)).AsTask()))).ToArray();
            object?[][] results = await Await.WithinAsync(Task.WhenAll(work), "20 clients x 50 calls", Await.DefaultLimitSeconds);
            for (int n = 0; n < results.Length; n++)
            {
                Assert.Equal(Enumerable.Range(0, 50).Select(i => (object?)(n + i)), results[n]);
            }

            Assert.Equal(20, silo.Info.ActiveConnections);
        }
        finally
        {
            foreach ((IClusterClient client, _) in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Invoke_GrainExceedsRequestTimeout_TimeoutErrorFromSilo()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            TimeoutException ex = await Assert.ThrowsAsync<TimeoutException>(async () => await invoker.InvokeAsync(TestCalls.Call("Hang")));
            Assert.Contains("RequestTimeout", ex.Message, StringComparison.Ordinal);
            Assert.Equal(7, await invoker.InvokeAsync(TestCalls.Call("Add", 3, 4)));
        }
    }

    [Fact]
    public async Task Invoke_ResultLargerThanMaxFrame_ErrorResponseNotCrash()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.MaxFrameBytes = 4096);
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await invoker.InvokeAsync(TestCalls.Call("Big", 10_000)));
            Assert.Contains("MaxFrameBytes", ex.Message, StringComparison.Ordinal);
            Assert.Equal(1000, ((string?)await invoker.InvokeAsync(TestCalls.Call("Big", 1000)))!.Length);
        }
    }
}
