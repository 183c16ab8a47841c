namespace Actors.Wal;

/// <summary>
/// A segment or payload of the log was encrypted with a key the log's <see cref="Encryption.IEncryptionKeyProvider"/>
/// does not have (or the log was opened without encryption). Nothing was read or modified.
/// </summary>
public sealed class EncryptionKeyNotFoundException : WalException
{
    /// <summary>Creates the exception.</summary>
    public EncryptionKeyNotFoundException(string filePath, long offset, uint keyId, string detail)
        : base($"Log file '{filePath}' needs encryption key {keyId} (at offset {offset}), which {detail}.")
    {
        FilePath = filePath;
        Offset = offset;
        KeyId = keyId;
    }

    /// <summary>The segment file.</summary>
    public string FilePath { get; }

    /// <summary>The offset of the record (0 when the segment header named the key).</summary>
    public long Offset { get; }

    /// <summary>The missing key's id.</summary>
    public uint KeyId { get; }
}
