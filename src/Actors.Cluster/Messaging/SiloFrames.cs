using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Actors.Cluster.Messaging;

/*
 * Silo-to-silo wire format, version 2 (also in docs/cluster.md, "Messaging"; version 1 had no kind 8).
 *
 * All integers little-endian. A connection is opened by one silo (the initiator) to another (the acceptor); requests
 * flow initiator -> acceptor, responses back. Each direction is a sequence of frames:
 *
 *   Frame    := Length:u32 | Kind:u8 | Body        1 <= Length <= MaxFrameBytes, checked on the prefix before buffering
 *   String   := ByteCount:u32 | UTF-8 (strict)     Blob := ByteCount:u32 | bytes
 *
 *   Kind 1 Hello     initiator   Magic:u32 = 0x4C534341 ("ACSL") | Version:u16 | ClusterId:String | FromName:String
 *                                | FromIncarnation:i64 | ToName:String | ToIncarnation:i64 (0 = any) | Nonce:Blob (32)
 *   Kind 2 Welcome   acceptor    Version:u16 | Name:String | Incarnation:i64 | Nonce:Blob (32) | Mac:Blob (32)
 *   Kind 3 Auth      initiator   Mac:Blob (32)
 *   Kind 4 Rejected  acceptor    Reason:String; then the acceptor closes
 *   Kind 5 Request   initiator   CorrelationId:u64 | Type:u8 (SiloMessageType) | Payload (the rest of the frame)
 *   Kind 6 Response  acceptor    CorrelationId:u64 | Status:u8 (0 ok, 1 error)
 *                                ok:    Payload (the rest of the frame)
 *                                error: ErrorKind:u8 | ErrorType:String | ErrorMessage:String | Detail:Blob
 *   Kind 7 GoAway    acceptor    Count:u32 | CorrelationId:u64 * Count
 *                                graceful close: the acceptor has stopped reading and answered every request it read
 *                                (the responses precede this frame) except the listed ones, still running at its drain
 *                                deadline; then it closes. A request unanswered when GoAway arrives and not listed was
 *                                never read: it did not run and can be sent elsewhere. A listed one's outcome is unknown.
 *   Kind 8 OneWay    initiator   Type:u8 (SiloMessageType) | Payload (the rest of the frame)
 *                                never answered: handled in order on the acceptor's read loop, or dropped (draining, or
 *                                the handler refused it); for messages whose protocol tolerates loss (replication)
 *
 * Authentication (mutual, with the cluster's shared secret; the secret never travels):
 *   transcript = "ACSL1" | ClusterId | FromName | FromIncarnation | ToName | ToIncarnation | HelloNonce | WelcomeNonce
 *                | acceptor's Name | acceptor's Incarnation         (each field as written above)
 *   Welcome.Mac = HMAC-SHA256(secret, "acceptor" | transcript); Auth.Mac = HMAC-SHA256(secret, "initiator" | transcript).
 * The acceptor sends Rejected (and closes) for another magic, version or cluster id, a ToName/ToIncarnation that is not
 * itself, or a wrong Auth.Mac; the initiator closes on a wrong Welcome.Mac. No Request is read before Auth is verified.
 * Any frame that does not parse, a kind out of turn, or bytes left after the last field close the connection.
 */

/// <summary>Encodes and decodes silo-to-silo frames (layout in the comment at the top of this file).</summary>
internal static class SiloFrames
{
    public const uint Magic = 0x4C534341;
    public const ushort Version = 2;
    public const int NonceBytes = 32;
    public const int LengthPrefixBytes = 4;

    /// <summary>Cuts one frame off the front of <paramref name="buffer"/>; false when more bytes are needed.</summary>
    /// <exception cref="SiloProtocolException">The length prefix is 0 or above <paramref name="maxFrameBytes"/>.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out SiloFrameKind kind, out ReadOnlySequence<byte> body)
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
        if (length == 0 || length > (uint)maxFrameBytes)
        {
            throw new SiloProtocolException($"frame length {length} outside 1..MaxFrameBytes {maxFrameBytes}");
        }

        if (buffer.Length < LengthPrefixBytes + length)
        {
            return false;
        }

        ReadOnlySequence<byte> frame = buffer.Slice(LengthPrefixBytes, length);
        kind = (SiloFrameKind)frame.FirstSpan[0];
        body = frame.Slice(1);
        buffer = buffer.Slice(LengthPrefixBytes + length);
        return true;
    }

    public static byte[] Frame(SiloFrameKind kind, WireWriter body)
    {
        byte[] frame = new byte[LengthPrefixBytes + 1 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(1 + body.Length));
        frame[LengthPrefixBytes] = (byte)kind;
        body.WrittenMemory.Span.CopyTo(frame.AsSpan(LengthPrefixBytes + 1));
        return frame;
    }

    public static byte[] EncodeHello(HelloFrame hello) => Frame(SiloFrameKind.Hello, new WireWriter()
        .UInt32(Magic).UInt16(Version).String(hello.ClusterId).String(hello.FromName).Int64(hello.FromIncarnation)
        .String(hello.ToName).Int64(hello.ToIncarnation).Blob(hello.Nonce));

    public static HelloFrame DecodeHello(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        if (reader.UInt32() != Magic)
        {
            throw new SiloProtocolException("the Hello frame does not start with the silo protocol magic 'ACSL'");
        }

        ushort version = reader.UInt16();
        var hello = new HelloFrame(version, reader.String(), reader.String(), reader.Int64(), reader.String(), reader.Int64(), reader.Blob());
        reader.End("Hello");
        return hello.Nonce.Length == NonceBytes ? hello : throw new SiloProtocolException($"the Hello nonce has {hello.Nonce.Length} bytes, not {NonceBytes}");
    }

    public static byte[] EncodeWelcome(WelcomeFrame welcome) => Frame(SiloFrameKind.Welcome, new WireWriter()
        .UInt16(Version).String(welcome.Name).Int64(welcome.Incarnation).Blob(welcome.Nonce).Blob(welcome.Mac));

    public static WelcomeFrame DecodeWelcome(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        var welcome = new WelcomeFrame(reader.UInt16(), reader.String(), reader.Int64(), reader.Blob(), reader.Blob());
        reader.End("Welcome");
        return welcome;
    }

    public static byte[] EncodeAuth(byte[] mac) => Frame(SiloFrameKind.Auth, new WireWriter().Blob(mac));

    public static byte[] DecodeAuth(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        byte[] mac = reader.Blob();
        reader.End("Auth");
        return mac;
    }

    public static byte[] EncodeRejected(string reason) => Frame(SiloFrameKind.Rejected, new WireWriter().String(reason));

    public static byte[] EncodeGoAway(IReadOnlyCollection<ulong> stillRunning)
    {
        var writer = new WireWriter().UInt32((uint)stillRunning.Count);
        foreach (ulong id in stillRunning)
        {
            writer.UInt64(id);
        }

        return Frame(SiloFrameKind.GoAway, writer);
    }

    public static HashSet<ulong> DecodeGoAway(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        int count = reader.Count(8, "GoAway ids");
        var stillRunning = new HashSet<ulong>(count);
        for (int i = 0; i < count; i++)
        {
            stillRunning.Add(reader.UInt64());
        }

        reader.End("GoAway");
        return stillRunning;
    }

    public static string DecodeRejected(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        string reason = reader.String();
        reader.End("Rejected");
        return reason;
    }

    public static byte[] EncodeRequest(ulong correlationId, SiloMessageType type, ReadOnlySpan<byte> payload)
        => Frame(SiloFrameKind.Request, new WireWriter(payload.Length + 16).UInt64(correlationId).Byte((byte)type).Raw(payload));

    public static (ulong CorrelationId, SiloMessageType Type, byte[] Payload) DecodeRequest(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        ulong id = reader.UInt64();
        var type = (SiloMessageType)reader.Byte();
        return (id, type, reader.Rest().ToArray());
    }

    public static byte[] EncodeOneWay(SiloMessageType type, ReadOnlySpan<byte> payload)
        => Frame(SiloFrameKind.OneWay, new WireWriter(payload.Length + 8).Byte((byte)type).Raw(payload));

    public static (SiloMessageType Type, byte[] Payload) DecodeOneWay(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        var type = (SiloMessageType)reader.Byte();
        return (type, reader.Rest().ToArray());
    }

    public static byte[] EncodeResponseOk(ulong correlationId, ReadOnlySpan<byte> payload)
        => Frame(SiloFrameKind.Response, new WireWriter(payload.Length + 16).UInt64(correlationId).Byte(0).Raw(payload));

    public static byte[] EncodeResponseError(ulong correlationId, SiloError error) => Frame(SiloFrameKind.Response, new WireWriter()
        .UInt64(correlationId).Byte(1).Byte((byte)error.Kind).String(error.Type).String(error.Message).Blob(error.Detail));

    public static (ulong CorrelationId, byte[]? Payload, SiloError? Error) DecodeResponse(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        ulong id = reader.UInt64();
        switch (reader.Byte())
        {
            case 0:
                return (id, reader.Rest().ToArray(), null);
            case 1:
                var error = new SiloError((SiloErrorKind)reader.Byte(), reader.String(), reader.String(), reader.Blob());
                reader.End("Response");
                return (id, null, error);
            case byte status:
                throw new SiloProtocolException($"response {id} has unknown status {status}");
        }
    }

    /// <summary>The authentication code one side proves it knows the secret with (see the file comment).</summary>
    public static byte[] ComputeMac(byte[] secret, string role, HelloFrame hello, ReadOnlySpan<byte> welcomeNonce, string acceptorName, long acceptorIncarnation)
    {
        byte[] transcript = new WireWriter()
            .String(role).String("ACSL1").String(hello.ClusterId).String(hello.FromName).Int64(hello.FromIncarnation)
            .String(hello.ToName).Int64(hello.ToIncarnation).Blob(hello.Nonce).Blob(welcomeNonce)
            .String(acceptorName).Int64(acceptorIncarnation)
            .ToArray();
        return HMACSHA256.HashData(secret, transcript);
    }

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceBytes);
}

/// <summary>A decoded Hello frame.</summary>
internal sealed record HelloFrame(ushort Version, string ClusterId, string FromName, long FromIncarnation, string ToName, long ToIncarnation, byte[] Nonce)
{
    public HelloFrame(string clusterId, string fromName, long fromIncarnation, string toName, long toIncarnation, byte[] nonce)
        : this(SiloFrames.Version, clusterId, fromName, fromIncarnation, toName, toIncarnation, nonce)
    {
    }
}

/// <summary>A decoded Welcome frame.</summary>
internal sealed record WelcomeFrame(ushort Version, string Name, long Incarnation, byte[] Nonce, byte[] Mac);

/// <summary>An error response's content.</summary>
internal sealed record SiloError(SiloErrorKind Kind, string Type, string Message, byte[] Detail);
