using System.Buffers;

namespace Actors.Orleans.Codecs;

/// <summary>
/// A per-thread scratch buffer a codec serializes into before the record is framed, so encoding a value allocates the
/// record only, not also the codec's bytes as an array of their own.
/// </summary>
/// <remarks>
/// Ownership: <see cref="Rent"/> hands the thread's buffer to one caller (or a new one when the thread's is out, so a
/// re-entrant encode never shares it); <see cref="Return"/> gives it back, emptied, unless it grew past
/// <see cref="MaxKeptBytes"/> (a large state does not pin its memory to the thread). The caller copies what it needs
/// before returning it.
/// </remarks>
internal static class EncodeBuffer
{
    /// <summary>The largest buffer a thread keeps between encodes.</summary>
    public const int MaxKeptBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>The thread's empty buffer (taken from it), or a new one.</summary>
    public static ArrayBufferWriter<byte> Rent()
    {
        ArrayBufferWriter<byte>? buffer = _buffer;
        _buffer = null;
        return buffer ?? new ArrayBufferWriter<byte>(1024);
    }

    /// <summary>Gives <paramref name="buffer"/> back to the thread, emptied, unless it is larger than <see cref="MaxKeptBytes"/>.</summary>
    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= MaxKeptBytes)
        {
            buffer.ResetWrittenCount();
            _buffer = buffer;
        }
    }
}
