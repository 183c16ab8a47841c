using System.Buffers.Binary;
using System.Text;

namespace Actors.Wire;

/// <content>The bounds-checked writer and reader every frame body is built and parsed with.</content>
public static partial class GatewayFrameCodec
{
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
