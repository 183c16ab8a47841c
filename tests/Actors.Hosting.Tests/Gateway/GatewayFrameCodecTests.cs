using System.Buffers;
using System.Buffers.Binary;
using Actors.Wire;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayFrameCodecTests
{
    private static ReadOnlySpan<byte> Body(byte[] frame, out GatewayFrameKind kind)
    {
        var sequence = new ReadOnlySequence<byte>(frame);
        Assert.True(GatewayFrameCodec.TryReadFrame(ref sequence, GatewayFrameCodec.MinimumMaxFrameBytes * 1024, out kind, out ReadOnlySequence<byte> body));
        Assert.True(sequence.IsEmpty);
        return body.ToArray();
    }

    [Fact]
    public void Hello_RoundTrip_PreservesVersionAndSecret()
    {
        HelloFrame hello = GatewayFrameCodec.DecodeHello(Body(GatewayFrameCodec.EncodeHello("s3cret-ü"), out GatewayFrameKind kind));
        Assert.Equal(GatewayFrameKind.Hello, kind);
        Assert.Equal(GatewayFrameCodec.ProtocolVersion, hello.ProtocolVersion);
        Assert.Equal("s3cret-ü", hello.Secret);
    }

    [Fact]
    public void RoutingTable_RoundTrip_NamesTheOwnersGatewayOfAPartitionBoundGrain()
    {
        var table = new GatewayRoutingTable(
            42,
            4,
            ["10.0.0.1:30000", "10.0.0.2:30000"],
            [0, 1, -1, 1],
            new Dictionary<string, string> { ["account"] = "account", ["Test.IAccount"] = "account", ["cart"] = "" });
        GatewayRoutingTable read = GatewayFrameCodec.DecodeRoutingTable(Body(GatewayFrameCodec.EncodeRoutingTable(table), out GatewayFrameKind kind));
        Assert.Equal(GatewayFrameKind.RoutingTable, kind);
        Assert.Equal((42L, 4), (read.Version, read.PartitionCount));
        Assert.Equal(table.Gateways, read.Gateways);
        Assert.Equal(table.PartitionGateways, read.PartitionGateways);
        Assert.Equal(table.GrainTypes.OrderBy(t => t.Key), read.GrainTypes.OrderBy(t => t.Key));

        // Each grain id lands on the gateway its partition names (or none for the partition without a direct gateway).
        for (int i = 0; i < 64; i++)
        {
            var id = new GrainId("account", $"k{i}");
            int owner = table.PartitionGateways[Routing.GrainPartitioner.GetPartition(id, 4)];
            Assert.Equal(owner < 0 ? null : table.Gateways[owner], read.GatewayFor(id, typeof(ITestGatewayGrain)));
        }

        Assert.Null(read.GatewayFor(new GrainId("cart", "k1"), typeof(ITestGatewayGrain)));
        Assert.Null(read.GatewayFor(new GrainId("unknown", "k1"), typeof(ITestGatewayGrain)));
        Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.DecodeRoutingTable(Body(GatewayFrameCodec.EncodeRoutingTable(table), out _)[..^1]));
    }

    [Fact]
    public void ObserverHost_RoundTrip_AndInvalidIdsAreProtocolErrors()
    {
        Assert.Equal("client-42", GatewayFrameCodec.DecodeObserverHost(Body(GatewayFrameCodec.EncodeObserverHost("client-42"), out GatewayFrameKind kind)));
        Assert.Equal(GatewayFrameKind.ObserverHost, kind);
        byte[] slash = GatewayFrameCodec.EncodeObserverHost("a/b");
        Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.DecodeObserverHost(Body(slash, out _)));
        byte[] empty = [0, 0, 0, 0];
        Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.DecodeObserverHost(empty));
    }

    [Fact]
    public void Request_RoundTrip_PreservesAllFields()
    {
        byte[][] arguments = [[1, 2, 3], [], [255]];
        byte[] frame = GatewayFrameCodec.EncodeRequest(ulong.MaxValue - 3, GrainId.Create("account", "a/b"), "I.M(System.Int32)", arguments);
        RequestFrame request = GatewayFrameCodec.DecodeRequest(Body(frame, out GatewayFrameKind kind));
        Assert.Equal(GatewayFrameKind.Request, kind);
        Assert.Equal(ulong.MaxValue - 3, request.CorrelationId);
        Assert.Equal(GrainId.Create("account", "a/b"), request.Target);
        Assert.Equal("I.M(System.Int32)", request.MethodKey);
        Assert.Equal(arguments, request.Arguments);
    }

    [Fact]
    public void Response_RoundTrip_OkAndError()
    {
        ResponseFrame ok = GatewayFrameCodec.DecodeResponse(Body(GatewayFrameCodec.EncodeResponseOk(7, [9, 8]), out _));
        Assert.Equal((7UL, GatewayResponseStatus.Ok), (ok.CorrelationId, ok.Status));
        Assert.Equal(new byte[] { 9, 8 }, ok.Result);

        ResponseFrame error = GatewayFrameCodec.DecodeResponse(Body(GatewayFrameCodec.EncodeResponseError(8, "System.X", "boom"), out _));
        Assert.Equal((8UL, GatewayResponseStatus.Error, "System.X", "boom"), (error.CorrelationId, error.Status, error.ErrorType, error.ErrorMessage));
    }

    [Fact]
    public void Request_RandomContents_RoundTrip()
    {
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            byte[][] arguments = Enumerable.Range(0, random.Next(0, 5)).Select(_ =>
            {
                byte[] bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                return bytes;
            }).ToArray();
            var id = (ulong)random.NextInt64();
            string key = new string('k', random.Next(1, 40)) + i;
            RequestFrame decoded = GatewayFrameCodec.DecodeRequest(Body(GatewayFrameCodec.EncodeRequest(id, GrainId.Create("t", key), "m" + i, arguments), out _));
            Assert.Equal(id, decoded.CorrelationId);
            Assert.Equal(key, decoded.Target.Key);
            Assert.Equal(arguments, decoded.Arguments);
        }
    }

    [Fact]
    public void DecodeRequest_EveryTruncation_ThrowsProtocolException()
    {
        byte[] body = Body(GatewayFrameCodec.EncodeRequest(1, GrainId.Create("t", "k"), "method", [[1, 2, 3, 4]]), out _).ToArray();
        for (int length = 0; length < body.Length; length++)
        {
            byte[] truncated = body[..length];
            Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.DecodeRequest(truncated));
        }
    }

    [Fact]
    public void DecodeRequest_TrailingBytes_ThrowsProtocolException()
    {
        byte[] body = [.. Body(GatewayFrameCodec.EncodeRequest(1, GrainId.Create("t", "k"), "method", []), out _), 0];
        GatewayProtocolException ex = Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.DecodeRequest(body));
        Assert.Contains("unexpected bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeRequest_HugeStringLength_ThrowsWithoutAllocating()
    {
        byte[] body = new byte[8 + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), uint.MaxValue);
        GatewayProtocolException ex = Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.DecodeRequest(body));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeHello_WrongMagic_ThrowsProtocolException()
    {
        byte[] body = Body(GatewayFrameCodec.EncodeHello(""), out _).ToArray();
        body[0] ^= 0xFF;
        Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.DecodeHello(body));
    }

    [Fact]
    public void TryReadFrame_LengthAboveMax_ThrowsBeforeBuffering()
    {
        byte[] prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, 2049);
        var sequence = new ReadOnlySequence<byte>(prefix);
        GatewayProtocolException ex = Assert.Throws<GatewayProtocolException>(() => GatewayFrameCodec.TryReadFrame(ref sequence, 2048, out _, out _));
        Assert.Contains("exceeds MaxFrameBytes 2048", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadFrame_PartialFrame_ReturnsFalseAndKeepsBuffer()
    {
        byte[] frame = GatewayFrameCodec.EncodeResponseOk(1, [1, 2, 3]);
        for (int length = 0; length < frame.Length; length++)
        {
            var sequence = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(GatewayFrameCodec.TryReadFrame(ref sequence, 1024, out _, out _));
            Assert.Equal(length, sequence.Length);
        }
    }
}
