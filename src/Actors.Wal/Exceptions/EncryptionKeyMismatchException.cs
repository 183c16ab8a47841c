namespace Actors.Wal;

/// <summary>
/// The key the log's <see cref="Encryption.IEncryptionKeyProvider"/> has under an id is not the key that wrote a segment
/// (its fingerprint differs from the one in the segment header). Nothing was read or modified.
/// </summary>
public sealed class EncryptionKeyMismatchException : WalException
{
    /// <summary>Creates the exception.</summary>
    public EncryptionKeyMismatchException(string filePath, uint keyId, ulong expectedFingerprint, ulong actualFingerprint)
        : base($"Log file '{filePath}' was written with encryption key {keyId} of fingerprint {expectedFingerprint:x16}, but the key provider's key {keyId} has fingerprint {actualFingerprint:x16}: it is a different key.")
    {
        FilePath = filePath;
        KeyId = keyId;
        ExpectedFingerprint = expectedFingerprint;
        ActualFingerprint = actualFingerprint;
    }

    /// <summary>The segment file.</summary>
    public string FilePath { get; }

    /// <summary>The key id.</summary>
    public uint KeyId { get; }

    /// <summary>The fingerprint stored in the segment header.</summary>
    public ulong ExpectedFingerprint { get; }

    /// <summary>The fingerprint of the provider's key.</summary>
    public ulong ActualFingerprint { get; }
}
