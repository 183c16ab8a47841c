using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Actors.Wal.Encryption;

/// <summary>
/// One AES-GCM key of a log's encryption at rest: an id stored with every payload it seals (and in the header of every
/// segment written while it was current), and its secret bytes.
/// </summary>
/// <remarks>
/// The key itself is never stored. Each segment header keeps the id and a <see cref="Fingerprint"/> (8 bytes of an
/// HMAC-SHA256 of a fixed label under the key), so opening a log with a different key under the same id is reported as a
/// wrong key, not as damage. Immutable and thread-safe.
/// </remarks>
public sealed class EncryptionKey
{
    private static readonly byte[] FingerprintLabel = "actors-wal key fingerprint v1"u8.ToArray();
    private readonly byte[] _material;

    /// <summary>Creates a key.</summary>
    /// <param name="id">The key id, 1 or more (0 means "not encrypted" on disk).</param>
    /// <param name="material">16, 24 or 32 bytes (AES-128, -192, -256); copied.</param>
    /// <exception cref="ArgumentOutOfRangeException">The id is 0.</exception>
    /// <exception cref="ArgumentException">The key is not 16, 24 or 32 bytes long.</exception>
    public EncryptionKey(uint id, ReadOnlySpan<byte> material)
    {
        ArgumentOutOfRangeException.ThrowIfZero(id);
        if (material.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"Encryption key {id} is {material.Length} bytes long; an AES key has 16, 24 or 32 bytes.", nameof(material));
        }

        Id = id;
        _material = material.ToArray();
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_material, FingerprintLabel, mac);
        Fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(mac);
    }

    /// <summary>The key id (1 or more).</summary>
    public uint Id { get; }

    /// <summary>
    /// 64 bits derived from the key (HMAC-SHA256 of a fixed label, first 8 bytes, little-endian); identifies the key
    /// without revealing it.
    /// </summary>
    public ulong Fingerprint { get; }

    /// <summary>The key bytes (the engine's use only).</summary>
    internal ReadOnlySpan<byte> Material => _material;
}
