using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// What a receiving silo decoded from frames' sender fields before: its own ClusterId and the silo addresses parsed so
/// far, keyed by their exact UTF-8 bytes, so that a frame from a known peer is decoded without a string or an address
/// parsed per frame (<see cref="ReplicationFrameCodec.DecodeSlicing"/>).
/// </summary>
/// <remarks>
/// Only bytes that decoded and parsed once are remembered, so a hit gives exactly what decoding them again would. At
/// most <see cref="Capacity"/> silo addresses (a cluster's peers, restarted ones included); beyond, the oldest is
/// forgotten. Thread-safe: readers see an immutable array of entries, replaced whole on a miss (a race loses an entry,
/// which the next frame adds again).
/// </remarks>
internal sealed class KnownFrameSenders(string clusterId)
{
    /// <summary>The most silo addresses remembered.</summary>
    public const int Capacity = 32;

    private readonly byte[] _clusterIdBytes = StrictBytes(clusterId);
    private Entry[] _silos = [];

    /// <summary>The ClusterId whose bytes are remembered.</summary>
    public string ClusterId => clusterId;

    /// <summary>The remembered ClusterId when <paramref name="utf8"/> is its bytes, else null.</summary>
    public string? TryGetClusterId(ReadOnlySpan<byte> utf8) => !utf8.IsEmpty && utf8.SequenceEqual(_clusterIdBytes) ? clusterId : null;

    /// <summary>The silo address parsed before from exactly <paramref name="utf8"/>, else null.</summary>
    public SiloAddress? TryGetSilo(ReadOnlySpan<byte> utf8)
    {
        foreach (Entry entry in Volatile.Read(ref _silos))
        {
            if (utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Silo;
            }
        }

        return null;
    }

    /// <summary>Remembers that <paramref name="utf8"/> parsed as <paramref name="silo"/>.</summary>
    public void Remember(ReadOnlySpan<byte> utf8, SiloAddress silo)
    {
        Entry[] silos = Volatile.Read(ref _silos);
        int keep = Math.Min(silos.Length, Capacity - 1);
        var next = new Entry[keep + 1];
        next[0] = new Entry(utf8.ToArray(), silo);
        Array.Copy(silos, 0, next, 1, keep);
        Volatile.Write(ref _silos, next);
    }

    /// <summary>The strict UTF-8 bytes of <paramref name="value"/>; none (never matched) when it has none.</summary>
    private static byte[] StrictBytes(string value)
    {
        try
        {
            return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(value);
        }
        catch (System.Text.EncoderFallbackException)
        {
            return [];
        }
    }

    private readonly record struct Entry(byte[] Utf8, SiloAddress Silo);
}
