using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// The stream ids a <see cref="CommittedEntryApplier"/> decoded recently, so an entry that writes a stream written before
/// reuses its id string instead of decoding a new one (the same grains write again and again).
/// </summary>
/// <remarks>
/// <para>Direct-mapped: a stream id's UTF-8 bytes pick one of <see cref="Capacity"/> slots, a newer id takes the slot of an
/// older one. A slot's string is returned only when it encodes to exactly the bytes looked up, so the string is always the
/// one <see cref="Encoding.UTF8"/> would decode from them (a string that <c>GetString</c> made has no lone surrogate, so
/// equal encodings mean equal strings).</para>
/// <para>Not thread-safe: one applier's loop uses it.</para>
/// </remarks>
internal sealed class StreamIdCache
{
    /// <summary>The slots: at most this many ids are kept (about 60 KB with ids of 100 characters).</summary>
    public const int Capacity = 1 << SlotBits;

    private const int SlotBits = 8;

    /// <summary>The longest id in UTF-8 bytes the cache holds (longer ones are decoded each time; stream ids are at most 1,024).</summary>
    private const int MaxCachedBytes = 256;

    private readonly string?[] _slots = new string?[Capacity];

    /// <summary>The string of the UTF-8 stream id <paramref name="utf8"/>: a cached one when it matches, else a new one (then cached).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = SlotOf(utf8);
        if (_slots[slot] is { } cached && Matches(cached, utf8))
        {
            return cached;
        }

        var decoded = Encoding.UTF8.GetString(utf8);
        _slots[slot] = decoded;
        return decoded;
    }

    /// <summary>
    /// The slot of an id: CRC32C of its bytes, mixed (Fibonacci hashing) so its top bits pick the slot. Deterministic, so
    /// which ids share a slot does not change from one process to the next; ids that share one only cost a new string.
    /// </summary>
    private static int SlotOf(ReadOnlySpan<byte> utf8)
    {
        uint crc = 0;
        while (utf8.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(utf8));
            utf8 = utf8[sizeof(ulong)..];
        }

        foreach (var b in utf8)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return (int)((crc * 0x9E3779B1u) >> (32 - SlotBits));
    }

    private static bool Matches(string cached, ReadOnlySpan<byte> utf8)
    {
        // A UTF-8 byte encodes at most one UTF-16 character and a character at most three bytes: a string this short or
        // this long cannot match, and the candidate's encoding fits a buffer three times the characters.
        if (cached.Length > utf8.Length || cached.Length * 3 < utf8.Length)
        {
            return false;
        }

        Span<byte> encoded = stackalloc byte[MaxCachedBytes * 3];
        return Encoding.UTF8.TryGetBytes(cached, encoded, out var written) && encoded[..written].SequenceEqual(utf8);
    }
}
