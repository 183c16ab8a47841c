using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Actors.Wire;

/*
 * Gateway wire format, version 3 (also described in docs/gateway-protocol.md). A silo accepts clients of version 2
 * and later; version 3 added the routing frames (kinds 9 and 10), which a client sends only to a silo that answered
 * its Hello with version 3 or later.
 *
 * All integers are little-endian. A connection carries a sequence of frames in each direction:
 *
 *   Frame      := Length:u32 | Kind:u8 | Body
 *                 Length counts the bytes after the length field (Kind + Body): 1 <= Length <= MaxFrameBytes.
 *                 A Length of 0 or above the receiver's MaxFrameBytes is a protocol error (connection closed
 *                 before the body is buffered, so an oversized length never allocates).
 *   String     := ByteCount:u32 | UTF-8 bytes (strict: invalid UTF-8 is a protocol error)
 *   Blob       := ByteCount:u32 | bytes
 *   Value      := Blob holding one Actors.Serialization message (format byte 0x01 first; docs/serialization.md)
 *
 *   Kind 1 Hello          (client -> silo, must be the first frame)
 *                 Magic:u32 = 0x52544341 ("ACTR") | ProtocolVersion:u16 | Secret:String (empty = none)
 *   Kind 2 HelloAccepted  (silo -> client)   ProtocolVersion:u16
 *   Kind 3 HelloRejected  (silo -> client)   Reason:String; the silo then closes the connection
 *   Kind 4 Request        (client -> silo: a grain call; silo -> client: a call to an observer the client hosts)
 *                 CorrelationId:u64 | GrainType:String | GrainKey:String | MethodKey:String | Headers
 *                 | ArgumentCount:u16 | Argument:Value * ArgumentCount
 *       Headers := Flags:u8 (bit 0 one-way; other bits must be 0) | TimeoutMs:u32 (0 = receiver's default)
 *                 | CancellationId:u64 (0 = none) | CallChainCount:u16 | (GrainType:String | GrainKey:String) * CallChainCount
 *                 | RequestContext:Blob (empty = none; else a Value of declared type Dictionary<string, object>)
 *                 MethodKey is GrainMethod.Key (StableNames.ForMethod: no assembly names or versions); each argument
 *                 is serialized with the method's declared parameter type.
 *   Kind 5 Response       (answers a Request in the other direction; never for a one-way request)
 *                 CorrelationId:u64 | Status:u8
 *                 Status 0 (Ok):    Result:Value (declared type GrainMethod.ResultType; an empty blob for void)
 *                 Status 1 (Error): Exception:Value (declared type System.Exception; empty when it could not be
 *                                   serialized) | ErrorType:String (type full name) | ErrorMessage:String
 *   Kind 6 Cancel         (client -> silo)   CancellationId:u64: cancel the call or token exported under that id
 *   Kind 7 Goodbye        (silo -> client)   empty body; the silo's last frame of a graceful stop: every request it
 *                 started has its Response before this frame, so a request still unanswered was not started.
 *   Kind 8 ObserverHost   (client -> silo, after the handshake, at most once)   ClientId:String (non-empty, no '/'):
 *                 the owner part of the observer ids the client creates (ObserverIds); the silo then sends calls
 *                 to those observers as Requests on this connection, with correlation ids of its own (each
 *                 direction numbers its requests independently), and the client answers with Responses.
 *   Kind 9 RoutingRequest (client -> silo, after the handshake, version 3)   empty body: send the RoutingTable now and
 *                 again whenever it changes (a silo outside a cluster sends none).
 *   Kind 10 RoutingTable  (silo -> client, version 3)   Version:u64 | PartitionCount:u32 (>= 1)
 *                 | GatewayCount:u16 | Gateway:String * GatewayCount ("host:port")
 *                 | Owner:u16 * PartitionCount (index into the gateways of the partition owner's gateway; 0xFFFF = none)
 *                 | TypeCount:u32 | (Name:String | GrainType:String) * TypeCount
 *                 Name is a registered grain type name or a grain interface's full name implemented by exactly one
 *                 class; GrainType is the partition-bound class's grain type name (the canonical id's type), or empty
 *                 when that class is not partition-bound. See GatewayRoutingTable.
 *
 * Requests on one connection may be in flight concurrently; responses arrive in completion order and are
 * matched by CorrelationId. A body with bytes left over after its last field, a truncated field, an unknown
 * kind, status or flag, or an empty grain type/key is a protocol error.
 */

/// <summary>Encodes and decodes gateway frames. The byte layout is spelled out in the comment at the top of this file.</summary>
/// <remarks>
/// Stateless and thread-safe. Decoders copy what they keep, so the input buffer may be reused afterwards. Public
/// because the gateway client (Actors.Client) and the silo's gateway (Actors.Hosting) share it; grain code never uses it.
/// </remarks>
public static partial class GatewayFrameCodec
{
    /// <summary>The protocol version this build speaks.</summary>
    public const ushort ProtocolVersion = 3;

    /// <summary>The oldest client protocol version a silo of this build accepts.</summary>
    public const ushort MinimumProtocolVersion = 2;

    /// <summary>The first protocol version with the routing frames (<see cref="GatewayFrameKind.RoutingRequest"/>, <see cref="GatewayFrameKind.RoutingTable"/>).</summary>
    public const ushort RoutingProtocolVersion = 3;

    /// <summary>"ACTR" little-endian: the first field of a Hello body.</summary>
    public const uint HelloMagic = 0x52544341;

    /// <summary>The size of the length prefix.</summary>
    public const int LengthPrefixBytes = 4;

    /// <summary>The smallest MaxFrameBytes any peer may configure (a Hello with a short secret must fit).</summary>
    public const int MinimumMaxFrameBytes = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Tries to cut one complete frame off the front of <paramref name="buffer"/>. Returns false when more bytes are
    /// needed (then <paramref name="buffer"/> is unchanged).
    /// </summary>
    /// <exception cref="GatewayProtocolException">The length prefix is 0 or exceeds <paramref name="maxFrameBytes"/>.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out GatewayFrameKind kind, out ReadOnlySequence<byte> body)
    {
        kind = default;
        body = default;
        if (buffer.Length < LengthPrefixBytes)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
        buffer.Slice(0, LengthPrefixBytes).CopyTo(prefix);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length == 0)
        {
            throw new GatewayProtocolException("frame length 0 (a frame carries at least its kind byte)");
        }

        if (length > (uint)maxFrameBytes)
        {
            throw new GatewayProtocolException($"frame length {length} exceeds MaxFrameBytes {maxFrameBytes}");
        }

        if (buffer.Length < LengthPrefixBytes + length)
        {
            return false;
        }

        ReadOnlySequence<byte> frame = buffer.Slice(LengthPrefixBytes, length);
        kind = (GatewayFrameKind)frame.FirstSpan[0];
        body = frame.Slice(1);
        buffer = buffer.Slice(LengthPrefixBytes + length);
        return true;
    }

    /// <summary>Encodes a Hello frame (length prefix included).</summary>
    public static byte[] EncodeHello(string secret)
    {
        var writer = new FrameWriter(GatewayFrameKind.Hello, 4 + 2 + StringSize(secret));
        writer.WriteUInt32(HelloMagic);
        writer.WriteUInt16(ProtocolVersion);
        writer.WriteString(secret);
        return writer.Complete();
    }

    /// <summary>Decodes a Hello body.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid Hello.</exception>
    public static HelloFrame DecodeHello(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        if (reader.ReadUInt32() != HelloMagic)
        {
            throw new GatewayProtocolException("the Hello frame does not start with the protocol magic 'ACTR'");
        }

        var hello = new HelloFrame(reader.ReadUInt16(), reader.ReadString());
        reader.EnsureEnd("Hello");
        return hello;
    }

    /// <summary>Encodes a HelloAccepted frame.</summary>
    public static byte[] EncodeHelloAccepted()
    {
        var writer = new FrameWriter(GatewayFrameKind.HelloAccepted, 2);
        writer.WriteUInt16(ProtocolVersion);
        return writer.Complete();
    }

    /// <summary>Decodes a HelloAccepted body and returns the silo's protocol version.</summary>
    public static ushort DecodeHelloAccepted(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        ushort version = reader.ReadUInt16();
        reader.EnsureEnd("HelloAccepted");
        return version;
    }

    /// <summary>Encodes a HelloRejected frame.</summary>
    public static byte[] EncodeHelloRejected(string reason)
    {
        var writer = new FrameWriter(GatewayFrameKind.HelloRejected, StringSize(reason));
        writer.WriteString(reason);
        return writer.Complete();
    }

    /// <summary>Decodes a HelloRejected body and returns the reason.</summary>
    public static string DecodeHelloRejected(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        string reason = reader.ReadString();
        reader.EnsureEnd("HelloRejected");
        return reason;
    }

    /// <summary>Encodes an ObserverHost frame.</summary>
    public static byte[] EncodeObserverHost(string clientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var writer = new FrameWriter(GatewayFrameKind.ObserverHost, StringSize(clientId));
        writer.WriteString(clientId);
        return writer.Complete();
    }

    /// <summary>Decodes an ObserverHost body and returns the client id.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid ObserverHost (an empty id, or one with '/').</exception>
    public static string DecodeObserverHost(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        string clientId = reader.ReadString();
        reader.EnsureEnd("ObserverHost");
        if (clientId.Length == 0 || clientId.Contains('/', StringComparison.Ordinal))
        {
            throw new GatewayProtocolException($"invalid observer host id '{clientId}' (empty, or containing '/')");
        }

        return clientId;
    }

    /// <summary>Encodes a Goodbye frame.</summary>
    public static byte[] EncodeGoodbye() => new FrameWriter(GatewayFrameKind.Goodbye, 0).Complete();

    /// <summary>Checks that a Goodbye body is empty.</summary>
    /// <exception cref="GatewayProtocolException">The body is not empty.</exception>
    public static void DecodeGoodbye(ReadOnlySpan<byte> body) => new FrameReader(body).EnsureEnd("Goodbye");

    /// <summary>The body length of an encoded frame (its length prefix value).</summary>
    public static int FrameLength(byte[] frame) => (int)BinaryPrimitives.ReadUInt32LittleEndian(frame);

    private static long StringSize(string value) => 4L + StrictUtf8.GetByteCount(value);

    private static GrainId ReadGrainId(ref FrameReader reader, ulong correlationId)
    {
        string type = reader.ReadString();
        string key = reader.ReadString();
        if (type.Length == 0 || key.Length == 0 || type.Contains('/', StringComparison.Ordinal))
        {
            throw new GatewayProtocolException($"request {correlationId} names an invalid grain id '{type}/{key}'");
        }

        return new GrainId(type, key);
    }
}
