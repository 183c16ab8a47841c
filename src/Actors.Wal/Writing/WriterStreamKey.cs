using Actors.Wal.Index;

namespace Actors.Wal.Writing;

/// <summary>
/// The key of a stream the writer holds: its id with the <see cref="StreamHash"/> of its UTF-8 bytes, which the caller
/// computed before it queued its request, so the writer's look-up on the append path does not hash the id string
/// again.
/// </summary>
/// <remarks>
/// <para>Equal keys have equal ids (the hash only filters; ids are compared ordinally). The contract with its users: the
/// hash is always <see cref="StreamHash.Compute"/> of the id's UTF-8 bytes, as the index's own look-ups require, so one
/// stream never has two keys.</para>
/// <para>The dictionary's hash code mixes the stream hash with a secret drawn once per process: ids crafted to share a
/// bucket of the (public, unseeded) stream hash do not share one here, as they would not in a dictionary of strings,
/// whose hashing is randomized. Only ids whose whole 64-bit stream hashes are equal still collide, as they do in the
/// index itself.</para>
/// </remarks>
internal readonly struct WriterStreamKey(string id, ulong hash) : IEquatable<WriterStreamKey>
{
    /// <summary>The process's secret for <see cref="GetHashCode"/> (odd, so the multiply keeps every bit).</summary>
    private static readonly ulong Secret = (ulong)Random.Shared.NextInt64() | 1;

    /// <summary>The stream id.</summary>
    public string Id { get; } = id;

    /// <summary>The stream id's <see cref="StreamHash"/>.</summary>
    public ulong Hash { get; } = hash;

    /// <inheritdoc />
    public bool Equals(WriterStreamKey other)
        => Hash == other.Hash && (ReferenceEquals(Id, other.Id) || string.Equals(Id, other.Id, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is WriterStreamKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)(((Hash ^ Secret) * Secret) >> 32);
}
