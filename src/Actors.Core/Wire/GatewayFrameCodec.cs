using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Actors.Wire;

/*
 * Gateway wire format, version 1 (also described in docs/gateway-protocol.md).
 *
 * All integers are little-endian. A connection carries a sequence of frames in each direction:
 *
 *   Frame      := Length:u32 | Kind:u8 | Body
 *                 Length counts the bytes after the length field (Kind + Body): 1 <= Length <= MaxFrameBytes.
 *                 A Length of 0 or above the receiver's MaxFrameBytes is a protocol error (connection closed
 *                 before the body is buffered, so an oversized length never allocates).
 *   String     := ByteCount:u32 | UTF-8 bytes (strict: invalid UTF-8 is a protocol error)
 *   Blob       := ByteCount:u32 | bytes
 *
 *   Kind 1 Hello          (client -> silo, must be the first frame)
 *                 Magic:u32 = 0x52544341 ("ACTR") | ProtocolVersion:u16 | Secret:String (empty = none)
 *   Kind 2 HelloAccepted  (silo -> client)   ProtocolVersion:u16
 *   Kind 3 HelloRejected  (silo -> client)   Reason:String; the silo then closes the connection
 *   Kind 4 Request        (client -> silo)
 *                 CorrelationId:u64 | GrainType:String | GrainKey:String | MethodKey:String
 *                 | ArgumentCount:u16 | Argument:Blob * ArgumentCount
 *                 MethodKey is GrainMethod.Key; each argument is serialized by IGrainSerializer with the
 *                 method's declared parameter type.
 *   Kind 5 Response       (silo -> client)
 *                 CorrelationId:u64 | Status:u8
 *                 Status 0 (Ok):    Result:Blob (serialized with GrainMethod.ResultType; empty for void)
 *                 Status 1 (Error): ErrorType:String (exception type full name) | ErrorMessage:String
 *
 * Requests on one connection may be in flight concurrently; responses arrive in completion order and are
 * matched by CorrelationId. A body with bytes left over after its last field, a truncated field, an unknown
 * kind or status, or an empty grain type/key is a protocol error.
 */

/// <summary>Encodes and decodes gateway frames. The byte layout is spelled out in the comment at the top of this file.</summary>
/// <remarks>
/// Stateless and thread-safe. Decoders copy what they keep, so the input buffer may be reused afterwards. Public
/// because the gateway client (Actors.Client) and the silo's gateway (Actors.Hosting) share it; grain code never uses it.
/// </remarks>
public static class GatewayFrameCodec
{
    /// <summary>The protocol version this build speaks.</summary>
    public const ushort ProtocolVersion = 1;

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

    /// <summary>Encodes a Request frame.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than 65,535 arguments.</exception>
    public static byte[] EncodeRequest(ulong correlationId, GrainId target, string methodKey, IReadOnlyList<byte[]> arguments)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(arguments.Count, ushort.MaxValue, nameof(arguments));
        long size = 8 + StringSize(target.Type) + StringSize(target.Key) + StringSize(methodKey) + 2;
        foreach (byte[] argument in arguments)
        {
            size += 4 + argument.Length;
        }

        var writer = new FrameWriter(GatewayFrameKind.Request, size);
        writer.WriteUInt64(correlationId);
        writer.WriteString(target.Type);
        writer.WriteString(target.Key);
        writer.WriteString(methodKey);
        writer.WriteUInt16((ushort)arguments.Count);
        foreach (byte[] argument in arguments)
        {
            writer.WriteBlob(argument);
        }

        return writer.Complete();
    }

    /// <summary>Decodes a Request body.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid Request.</exception>
    public static RequestFrame DecodeRequest(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        ulong correlationId = reader.ReadUInt64();
        string type = reader.ReadString();
        string key = reader.ReadString();
        string methodKey = reader.ReadString();
        if (type.Length == 0 || key.Length == 0 || type.Contains('/', StringComparison.Ordinal))
        {
            throw new GatewayProtocolException($"request {correlationId} names an invalid grain id '{type}/{key}'");
        }

        int count = reader.ReadUInt16();
        var arguments = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            arguments[i] = reader.ReadBlob();
        }

        reader.EnsureEnd("Request");
        return new RequestFrame(correlationId, new GrainId(type, key), methodKey, arguments);
    }

    /// <summary>Encodes an Ok Response frame.</summary>
    public static byte[] EncodeResponseOk(ulong correlationId, byte[] result)
    {
        var writer = new FrameWriter(GatewayFrameKind.Response, 8 + 1 + 4L + result.Length);
        writer.WriteUInt64(correlationId);
        writer.WriteByte((byte)GatewayResponseStatus.Ok);
        writer.WriteBlob(result);
        return writer.Complete();
    }

    /// <summary>Encodes an Error Response frame.</summary>
    public static byte[] EncodeResponseError(ulong correlationId, string errorType, string errorMessage)
    {
        var writer = new FrameWriter(GatewayFrameKind.Response, 8 + 1 + StringSize(errorType) + StringSize(errorMessage));
        writer.WriteUInt64(correlationId);
        writer.WriteByte((byte)GatewayResponseStatus.Error);
        writer.WriteString(errorType);
        writer.WriteString(errorMessage);
        return writer.Complete();
    }

    /// <summary>Decodes a Response body.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid Response.</exception>
    public static ResponseFrame DecodeResponse(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        ulong correlationId = reader.ReadUInt64();
        var status = (GatewayResponseStatus)reader.ReadByte();
        ResponseFrame response = status switch
        {
            GatewayResponseStatus.Ok => new ResponseFrame(correlationId, status, reader.ReadBlob(), string.Empty, string.Empty),
            GatewayResponseStatus.Error => new ResponseFrame(correlationId, status, [], reader.ReadString(), reader.ReadString()),
            _ => throw new GatewayProtocolException($"response {correlationId} has unknown status {(byte)status}"),
        };
        reader.EnsureEnd("Response");
        return response;
    }

    /// <summary>The body length of an encoded frame (its length prefix value).</summary>
    public static int FrameLength(byte[] frame) => (int)BinaryPrimitives.ReadUInt32LittleEndian(frame);

    private static long StringSize(string value) => 4L + StrictUtf8.GetByteCount(value);

    private ref struct FrameWriter
    {
        private readonly byte[] _buffer;
        private int _position;

        public FrameWriter(GatewayFrameKind kind, long bodySize)
        {
            long total = LengthPrefixBytes + 1 + bodySize;
            if (total > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(bodySize), bodySize, "A gateway frame cannot exceed 2 GiB.");
            }

            _buffer = new byte[total];
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)(total - LengthPrefixBytes));
            _buffer[LengthPrefixBytes] = (byte)kind;
            _position = LengthPrefixBytes + 1;
        }

        public void WriteByte(byte value) => _buffer[_position++] = value;

        public void WriteUInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_position), value);
            _position += 2;
        }

        public void WriteUInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
            _position += 4;
        }

        public void WriteUInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
            _position += 8;
        }

        public void WriteString(string value)
        {
            int count = StrictUtf8.GetBytes(value, _buffer.AsSpan(_position + 4));
            WriteUInt32((uint)count);
            _position += count;
        }

        public void WriteBlob(byte[] value)
        {
            WriteUInt32((uint)value.Length);
            value.CopyTo(_buffer.AsSpan(_position));
            _position += value.Length;
        }

        public readonly byte[] Complete() => _position == _buffer.Length
            ? _buffer
            : throw new InvalidOperationException($"Frame size mismatch: computed {_buffer.Length}, wrote {_position}.");
    }

    private ref struct FrameReader(ReadOnlySpan<byte> body)
    {
        private ReadOnlySpan<byte> _rest = body;

        public byte ReadByte() => Take(1, "byte")[0];

        public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "u16"));

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "u32"));

        public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "u64"));

        public string ReadString()
        {
            ReadOnlySpan<byte> bytes = Take(ReadUInt32(), "string");
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new GatewayProtocolException("a string field is not valid UTF-8");
            }
        }

        public byte[] ReadBlob() => Take(ReadUInt32(), "blob").ToArray();

        public readonly void EnsureEnd(string frame)
        {
            if (!_rest.IsEmpty)
            {
                throw new GatewayProtocolException($"{_rest.Length} unexpected bytes after the last field of a {frame} frame");
            }
        }

        private ReadOnlySpan<byte> Take(uint count, string field)
        {
            if (count > (uint)_rest.Length)
            {
                throw new GatewayProtocolException($"truncated {field} field: needs {count} bytes, {_rest.Length} left in the frame");
            }

            ReadOnlySpan<byte> taken = _rest[..(int)count];
            _rest = _rest[(int)count..];
            return taken;
        }
    }
}
