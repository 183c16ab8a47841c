using System.Security.Cryptography;
using Actors.Persistence.Wal;
using Actors.Wal.Encryption;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 12 (issue #17's benchmark): compression (Brotli records) and encryption at rest (AES-256-GCM per payload,
/// <see cref="Actors.Wal.WriteAheadLogOptions.Encryption"/>), alone and together, against plain records in the same run
/// (rounds interleaved, medians, same durability): append, replay (decompression and decryption included) and the bytes
/// the log holds.
/// </summary>
internal sealed class EncryptionScenario : PayloadVariantsScenario
{
    private static readonly EncryptionKeyring Keys = new([new EncryptionKey(1, RandomNumberGenerator.GetBytes(32))]);

    public override int Number => 12;

    public override string Key => "encryption";

    public override string Title => "Compression (Brotli) and encryption at rest (AES-256-GCM) vs plain: append, replay, size";

    protected override IReadOnlyList<PayloadVariant> Variants { get; } =
    [
        new("plain", RecordCompression.None, null),
        new("Brotli", RecordCompression.Brotli, null),
        new("AES-GCM", RecordCompression.None, Keys),
        new("Brotli + AES-GCM", RecordCompression.Brotli, Keys),
    ];
}
