namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Checks, before the log serves anything, that every live segment's key is available: each segment header names the
    /// key that was current when it was created (id and fingerprint). A missing key or a different key under the same id
    /// fails the open, naming the segment and the key id, rather than failing reads later or serving a state without them.
    /// </summary>
    /// <exception cref="EncryptionKeyNotFoundException">A segment needs a key the provider lacks, or the log has no encryption.</exception>
    /// <exception cref="EncryptionKeyMismatchException">The provider's key under a segment's key id is a different key.</exception>
    private void VerifyEncryptionKeys()
    {
        foreach (var segment in _segments.Current.All)
        {
            uint keyId = segment.Header.KeyId;
            if (keyId == 0)
            {
                continue;
            }

            if (_cipher is null)
            {
                throw new EncryptionKeyNotFoundException(segment.Path, 0, keyId, $"is not available: the log was opened without {nameof(WriteAheadLogOptions.Encryption)}");
            }

            var key = _cipher.Provider.FindKey(keyId)
                ?? throw new EncryptionKeyNotFoundException(segment.Path, 0, keyId, "the key provider does not have");
            if (key.Fingerprint != segment.Header.KeyFingerprint)
            {
                throw new EncryptionKeyMismatchException(segment.Path, keyId, segment.Header.KeyFingerprint, key.Fingerprint);
            }
        }
    }
}
