namespace Actors.Serialization.Cloning;

/// <summary>Copiers of byte buffers: a copy gets its own bytes, since the original's owner may still change them.</summary>
internal static class ByteBufferCopier
{
    public static readonly IDeepCopier<byte[]> Array = new ArrayCopier();

    public static readonly IDeepCopier<Memory<byte>> Memory = new MemoryCopier();

    public static readonly IDeepCopier<ReadOnlyMemory<byte>> ReadOnlyMemory = new ReadOnlyMemoryCopier();

    private sealed class ArrayCopier : IDeepCopier<byte[]>
    {
        public byte[] DeepCopy(byte[] input, CopyContext context)
        {
            if (input is null)
            {
                return input!;
            }

            if (context.TryGetCopy(input, out byte[]? existing))
            {
                return existing;
            }

            byte[] copy = input.AsSpan().ToArray();
            context.RecordCopy(input, copy);
            return copy;
        }
    }

    private sealed class MemoryCopier : IDeepCopier<Memory<byte>>
    {
        public Memory<byte> DeepCopy(Memory<byte> input, CopyContext context) => input.ToArray();
    }

    private sealed class ReadOnlyMemoryCopier : IDeepCopier<ReadOnlyMemory<byte>>
    {
        public ReadOnlyMemory<byte> DeepCopy(ReadOnlyMemory<byte> input, CopyContext context) => input.ToArray();
    }
}
