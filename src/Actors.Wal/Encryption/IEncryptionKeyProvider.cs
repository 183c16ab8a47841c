namespace Actors.Wal.Encryption;

/// <summary>The keys of a log's encryption at rest (see docs/wal-format.md, "Encryption at rest").</summary>
/// <remarks>
/// The log asks for <see cref="CurrentKey"/> once, when it opens: every payload written until it closes is sealed with
/// that key. Reading asks <see cref="FindKey"/> for the key id stored with each payload, so keys that were current earlier
/// stay readable as long as the provider still has them. Rotation: give the provider a new key with a higher id, make it
/// current and reopen the log; compaction then rewrites the segments written with older keys (see
/// <see cref="WriteAheadLog.CompactAsync"/>); an older key may be dropped once
/// <see cref="LogStatistics.SegmentsWithOlderKeys"/> is 0. Key ids must only grow: the current key has the highest id.
/// Implementations must be thread-safe.
/// </remarks>
public interface IEncryptionKeyProvider
{
    /// <summary>The key new payloads are sealed with.</summary>
    EncryptionKey CurrentKey { get; }

    /// <summary>The key with <paramref name="keyId"/>, or null when the provider does not have it.</summary>
    EncryptionKey? FindKey(uint keyId);
}
