using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Actors.Wal.Format;

namespace Actors.Wal.Encryption;

/*
 * Encrypted payload (an event's bytes or a checkpoint's state in a record whose Flags has bit 0 set):
 *
 *   offset   size  field
 *   0        4     KeyId        the id of the AES key that sealed it (u32, little-endian, 1 or more)
 *   4        12    Nonce        random (RandomNumberGenerator) for every payload
 *   16       n     Ciphertext   AES-GCM of the n plaintext bytes
 *   16+n     16    Tag          AES-GCM authentication tag
 *
 * Associated data (authenticated, not stored again): u8 item kind (1 event, 2 checkpoint), i64 version (LE), the
 * stream id's UTF-8 bytes. A payload moved to another stream, version or kind fails authentication like a changed byte.
 */

/// <summary>
/// Seals and opens record payloads with AES-GCM (see the layout above). One instance per open log: sealing happens on
/// the writer thread only (it owns one <see cref="AesGcm"/> for the current key); opening is thread-safe (a small pool
/// of <see cref="AesGcm"/> instances per key). The AES instances hold native handles that the collector releases with the
/// cipher.
/// </summary>
internal sealed class PayloadCipher
{
    /// <summary>Bytes an encrypted payload adds to its plaintext: key id, nonce and tag.</summary>
    public const int Overhead = KeyIdSize + NonceSize + TagSize;

    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MaxPooledPerKey = 8;

    private readonly IEncryptionKeyProvider _provider;
    private readonly AesGcm _writerCipher;
    private readonly ConcurrentDictionary<uint, ConcurrentBag<AesGcm>> _readers = new();

    /// <summary>Creates the cipher; the provider's current key is taken once, here.</summary>
    public PayloadCipher(IEncryptionKeyProvider provider)
    {
        _provider = provider;
        Current = provider.CurrentKey ?? throw new ArgumentException("The encryption key provider has no current key.", nameof(provider));
        _writerCipher = new AesGcm(Current.Material, TagSize);
    }

    /// <summary>The key every payload is sealed with while the log is open.</summary>
    public EncryptionKey Current { get; }

    /// <summary>The provider (segment headers are checked against it at open).</summary>
    public IEncryptionKeyProvider Provider => _provider;

    /// <summary>The stored size of a payload of <paramref name="plaintextLength"/> bytes (cipher may be null: no encryption).</summary>
    public static int StoredLength(PayloadCipher? cipher, int plaintextLength) => cipher is null ? plaintextLength : plaintextLength + Overhead;

    /// <summary>
    /// Writes the encrypted form of <paramref name="plaintext"/> into the first <c>plaintext.Length + Overhead</c> bytes of
    /// <paramref name="destination"/>. Writer thread only.
    /// </summary>
    public void Seal(ReadOnlySpan<byte> plaintext, Span<byte> destination, RecordType kind, long version, ReadOnlySpan<byte> streamId)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Current.Id);
        Span<byte> nonce = destination.Slice(KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> aad = stackalloc byte[9 + StreamId.MaxByteLength];
        int aadLength = WriteAssociatedData(aad, kind, version, streamId);
        _writerCipher.Encrypt(
            nonce,
            plaintext,
            destination.Slice(KeyIdSize + NonceSize, plaintext.Length),
            destination.Slice(KeyIdSize + NonceSize + plaintext.Length, TagSize),
            aad[..aadLength]);
    }

    /// <summary>
    /// Replaces the payloads of <paramref name="items"/> (decoded from one record) by their plaintext when the record's
    /// payloads are encrypted; does nothing otherwise.
    /// </summary>
    /// <exception cref="EncryptionKeyNotFoundException">The log has no key with a payload's key id (or no encryption).</exception>
    /// <exception cref="LogCorruptedException">A payload fails authentication (altered after it was written) or is too short.</exception>
    public static void OpenItems(PayloadCipher? cipher, in RecordHeader header, ReadOnlySpan<byte> record, List<RecordItem> items, string path, long offset)
    {
        if ((header.Flags & RecordHeader.EncryptedPayloadsFlag) == 0)
        {
            return;
        }

        ReadOnlySpan<byte> streamId = record.Slice(header.StreamIdOffset, header.StreamIdLength);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Kind != RecordType.Tombstone)
            {
                items[i] = item with { Payload = Open(cipher, item.Payload.Span, item.Kind, item.Version, streamId, path, offset) };
            }
        }
    }

    private static byte[] Open(PayloadCipher? cipher, ReadOnlySpan<byte> stored, RecordType kind, long version, ReadOnlySpan<byte> streamId, string path, long offset)
    {
        if (stored.Length < Overhead)
        {
            throw new LogCorruptedException(path, offset, $"an encrypted payload of version {version} has {stored.Length} bytes, fewer than the {Overhead} of its key id, nonce and tag");
        }

        uint keyId = BinaryPrimitives.ReadUInt32LittleEndian(stored);
        if (cipher is null)
        {
            throw new EncryptionKeyNotFoundException(path, offset, keyId, "is not available: the log was opened without encryption keys");
        }

        var key = cipher._provider.FindKey(keyId)
            ?? throw new EncryptionKeyNotFoundException(path, offset, keyId, "the key provider does not have");
        var pool = cipher._readers.GetOrAdd(keyId, static _ => []);
        if (!pool.TryTake(out var aes))
        {
            aes = new AesGcm(key.Material, TagSize);
        }

        Span<byte> aad = stackalloc byte[9 + StreamId.MaxByteLength];
        int aadLength = WriteAssociatedData(aad, kind, version, streamId);
        int length = stored.Length - Overhead;
        byte[] plaintext = new byte[length];
        try
        {
            aes.Decrypt(
                stored.Slice(KeyIdSize, NonceSize),
                stored.Slice(KeyIdSize + NonceSize, length),
                stored.Slice(KeyIdSize + NonceSize + length, TagSize),
                plaintext,
                aad[..aadLength]);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            aes.Dispose();
            throw new LogCorruptedException(path, offset, $"the encrypted payload of version {version} (key {keyId}) fails authentication: it was altered after it was written, or key {keyId} is not the key that wrote it", ex);
        }

        if (pool.Count < MaxPooledPerKey)
        {
            pool.Add(aes);
        }
        else
        {
            aes.Dispose();
        }

        return plaintext;
    }

    private static int WriteAssociatedData(Span<byte> destination, RecordType kind, long version, ReadOnlySpan<byte> streamId)
    {
        destination[0] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], version);
        streamId.CopyTo(destination[9..]);
        return 9 + streamId.Length;
    }
}
