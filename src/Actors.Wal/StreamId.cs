using System.Runtime.CompilerServices;
using System.Text;

namespace Actors.Wal;

/// <summary>Validation rules for stream ids.</summary>
/// <remarks>
/// A stream id is an opaque, case-sensitive string of 1 to <see cref="MaxByteLength"/> bytes of well-formed
/// UTF-8 (no unpaired surrogates). Invalid ids are rejected before anything is written.
/// </remarks>
public static class StreamId
{
    /// <summary>The maximum length of a stream id in UTF-8 bytes.</summary>
    public const int MaxByteLength = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Validates <paramref name="streamId"/> and writes its UTF-8 bytes into <paramref name="destination"/> (at least
    /// <see cref="MaxByteLength"/> bytes) in one pass; returns the byte count.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="streamId"/> is null.</exception>
    /// <exception cref="InvalidStreamIdException">The id is empty, not valid UTF-8, or longer than <see cref="MaxByteLength"/> bytes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Encode(string streamId, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (streamId.Length == 0)
        {
            throw new InvalidStreamIdException("a stream id must not be empty");
        }

        var status = System.Text.Unicode.Utf8.FromUtf16(streamId, destination[..MaxByteLength], out _, out int written, replaceInvalidSequences: false);
        return status switch
        {
            System.Buffers.OperationStatus.Done => written,
            System.Buffers.OperationStatus.DestinationTooSmall => throw new InvalidStreamIdException(
                $"a stream id must be at most {MaxByteLength} UTF-8 bytes; '{streamId[..Math.Min(streamId.Length, 64)]}...' has {Encoding.UTF8.GetByteCount(streamId)}"),
            _ => throw new InvalidStreamIdException("a stream id must be valid UTF-8 (it contains an unpaired surrogate)"),
        };
    }

    /// <summary>Throws <see cref="InvalidStreamIdException"/> when <paramref name="streamId"/> is not a valid stream id.</summary>
    /// <returns>The id's length in UTF-8 bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="streamId"/> is null.</exception>
    /// <exception cref="InvalidStreamIdException">The id is empty, not valid UTF-8, or longer than <see cref="MaxByteLength"/> bytes.</exception>
    public static int Validate(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (streamId.Length == 0)
        {
            throw new InvalidStreamIdException("a stream id must not be empty");
        }

        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(streamId);
        }
        catch (EncoderFallbackException ex)
        {
            throw new InvalidStreamIdException("a stream id must be valid UTF-8 (it contains an unpaired surrogate)", ex);
        }

        if (byteCount > MaxByteLength)
        {
            throw new InvalidStreamIdException($"a stream id must be at most {MaxByteLength} UTF-8 bytes; '{streamId[..Math.Min(streamId.Length, 64)]}...' has {byteCount}");
        }

        return byteCount;
    }
}
