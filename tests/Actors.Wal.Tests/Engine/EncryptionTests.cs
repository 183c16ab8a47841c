using System.Buffers.Binary;
using System.Text;
using Actors.Wal.ChangeFeed;
using Actors.Wal.Encryption;
using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Encryption at rest: payloads sealed with AES-GCM under the current key, readable with every key the provider holds,
/// rewritten with a new key by compaction, and every missing, wrong or altered key or payload a typed error naming the
/// segment (and the key id or the offset). Plaintext is checked for by scanning every file of the log directory.
/// </summary>
public sealed class EncryptionTests : LogTestBase
{
    private static readonly EncryptionKey Key1 = new(1, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly EncryptionKey Key2 = new(2, Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    private static readonly EncryptionKey OtherKey1 = new(1, Enumerable.Range(50, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public async Task AppendCheckpointAndChangeFeed_Encrypted_ReadBackAfterReopenAndNoPlaintextInAnyFile()
    {
        var keys = new EncryptionKeyring([Key1]);
        await using (var log = await OpenAsync(o => o.Encryption = keys))
        {
            await log.AppendAsync("acct", 0, Events("SECRET-deposit-1", "SECRET-deposit-2"));
            await log.WriteCheckpointAsync("acct", 2, Bytes("SECRET-state-2"));
            await log.AppendAsync("acct", 2, Events("SECRET-deposit-3"));

            var changes = new List<string>();
            await foreach (var change in log.ReadChangesAsync(ChangeFeedPosition.Beginning, follow: false))
            {
                changes.Add(Text(change.Payload));
            }

            Assert.Equal(["SECRET-deposit-1", "SECRET-deposit-2", "SECRET-state-2", "SECRET-deposit-3"], changes);
        }

        Assert.Empty(FilesContaining("SECRET-"));
        await using var reopened = await OpenAsync(o => o.Encryption = keys);
        var read = await reopened.ReadStreamAsync("acct");
        Assert.Equal("SECRET-state-2", Text(read.Checkpoint!.State));
        Assert.Equal(["SECRET-deposit-3"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(["SECRET-deposit-1", "SECRET-deposit-2", "SECRET-deposit-3"], (await reopened.ReadEventsAsync("acct", 1, 3)).Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task ReadStreamAsync_EncryptedPayloadAlteredWithAValidCrc_ThrowsLogCorruptedNamingSegmentAndOffset()
    {
        var keys = new EncryptionKeyring([Key1]);
        await using (var log = await OpenAsync(o => o.Encryption = keys))
        {
            await log.AppendAsync("acct", 0, Events("balance=100"));
        }

        // A tamperer who also fixes the CRC: flip one ciphertext byte of the first record, then re-seal its CRC.
        string segment = Path.Combine(Dir.Path, SegmentHeader.FileName(1));
        byte[] file = File.ReadAllBytes(segment);
        Span<byte> record = file.AsSpan(SegmentHeader.Size, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(SegmentHeader.Size)));
        int payload = RecordHeader.Size + "acct".Length + 4;
        record[payload + 4 + 12] ^= 0x01; // after the key id and the nonce: the first ciphertext byte
        RecordCodec.SealCrc(record, SegmentHeader.ReadRecordSalt(file));
        File.WriteAllBytes(segment, file);

        await using var reopened = await OpenAsync(o => o.Encryption = keys);
        var corrupted = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadStreamAsync("acct"));
        Assert.Equal(segment, corrupted.FilePath);
        Assert.Equal(SegmentHeader.Size, corrupted.Offset);
        Assert.Contains("fails authentication", corrupted.Reason, StringComparison.Ordinal);
        Assert.Contains("key 1", corrupted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SegmentKeyMissingOrNoEncryption_ThrowsKeyNotFoundNamingSegmentAndKeyId()
    {
        await using (var log = await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key1])))
        {
            await log.AppendAsync("acct", 0, Events("balance=100"));
        }

        string segment = Path.Combine(Dir.Path, SegmentHeader.FileName(1));
        var missing = await Assert.ThrowsAsync<EncryptionKeyNotFoundException>(async () => await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key2])));
        Assert.Equal(1u, missing.KeyId);
        Assert.Equal(segment, missing.FilePath);
        Assert.Contains(SegmentHeader.FileName(1), missing.Message, StringComparison.Ordinal);

        var plain = await Assert.ThrowsAsync<EncryptionKeyNotFoundException>(async () => await OpenAsync());
        Assert.Equal(1u, plain.KeyId);
        Assert.Equal(segment, plain.FilePath);

        // The failed opens changed nothing: the right key still reads the event.
        await using var reopened = await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key1]));
        Assert.Equal(["balance=100"], (await reopened.ReadStreamAsync("acct")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task OpenAsync_DifferentKeyUnderTheSameId_ThrowsKeyMismatchNamingSegmentAndKeyId()
    {
        await using (var log = await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key1])))
        {
            await log.AppendAsync("acct", 0, Events("balance=100"));
        }

        var mismatch = await Assert.ThrowsAsync<EncryptionKeyMismatchException>(async () => await OpenAsync(o => o.Encryption = new EncryptionKeyring([OtherKey1])));

        Assert.Equal(1u, mismatch.KeyId);
        Assert.Equal(Path.Combine(Dir.Path, SegmentHeader.FileName(1)), mismatch.FilePath);
        Assert.Equal(Key1.Fingerprint, mismatch.ExpectedFingerprint);
        Assert.Equal(OtherKey1.Fingerprint, mismatch.ActualFingerprint);
    }

    [Fact]
    public async Task KeyRotation_AcrossRestartThenCompaction_OldSegmentsRewrittenWithTheNewKeyAndTheOldKeyNoLongerNeeded()
    {
        int filler = 0;
        await using (var log = await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key1])))
        {
            for (int i = 1; i <= 3; i++)
            {
                await log.AppendAsync("acct", i - 1, Events($"old-{i}"));
                filler = await RotateAsync(log, filler);
            }
        }

        await using (var rotated = await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key1, Key2])))
        {
            // Old segments stay readable with the old key; new writes use the new one.
            Assert.Equal(["old-1", "old-2", "old-3"], (await rotated.ReadStreamAsync("acct")).Events.Select(e => Text(e.Payload)));
            Assert.True(rotated.GetStatistics().SegmentsWithOlderKeys > 0, "precondition: segments of key 1 exist");
            await rotated.AppendAsync("acct", 3, Events("new-4"));
            filler = await RotateAsync(rotated, filler);

            for (int pass = 0; rotated.GetStatistics().SegmentsWithOlderKeys > 0; pass++)
            {
                Assert.True(pass < 50, $"segments of older keys left after {pass} compaction passes: {rotated.GetStatistics().SegmentsWithOlderKeys}");
                await rotated.WhenMaintenanceIdleAsync();
                await rotated.CompactAsync();
                await rotated.WhenMaintenanceIdleAsync();
            }
        }

        Assert.All(
            Directory.GetFiles(Dir.Path, "*.wal"),
            path => Assert.Equal(Key2.Id, ReadSegmentKeyId(path)));

        // Key 1 is gone from the provider: everything is still readable, nothing needed it.
        await using var reopened = await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key2]));
        Assert.Equal(["old-1", "old-2", "old-3", "new-4"], (await reopened.ReadStreamAsync("acct")).Events.Select(e => Text(e.Payload)));
        for (int i = 0; i < filler; i++)
        {
            Assert.Equal(2000, Assert.Single((await reopened.ReadStreamAsync($"f{i}")).Events).Payload.Length);
        }
    }

    [Fact]
    public async Task OpenAsync_PlainLogThenEncryption_OldSegmentsReadableAndCompactedEncrypted()
    {
        int filler = 0;
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("acct", 0, Events("SECRET-plain-1"));
            filler = await RotateAsync(log, filler);
        }

        Assert.NotEmpty(FilesContaining("SECRET-"));
        await using (var encrypted = await OpenAsync(o => o.Encryption = new EncryptionKeyring([Key1])))
        {
            Assert.Equal(["SECRET-plain-1"], (await encrypted.ReadStreamAsync("acct")).Events.Select(e => Text(e.Payload)));
            filler = await RotateAsync(encrypted, filler);
            for (int pass = 0; encrypted.GetStatistics().SegmentsWithOlderKeys > 0; pass++)
            {
                Assert.True(pass < 50, $"unencrypted segments left after {pass} compaction passes");
                await encrypted.WhenMaintenanceIdleAsync();
                await encrypted.CompactAsync();
                await encrypted.WhenMaintenanceIdleAsync();
            }

            Assert.Equal(["SECRET-plain-1"], (await encrypted.ReadStreamAsync("acct")).Events.Select(e => Text(e.Payload)));
        }

        Assert.DoesNotContain(FilesContaining("SECRET-"), f => f.EndsWith(".wal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppendAsync_EncryptedBatchAtTheRecordLimit_CountsTheEncryptionOverhead()
    {
        const int segmentSize = 128 * 1024;
        await using var log = await OpenAsync(o =>
        {
            o.Encryption = new EncryptionKeyring([Key1]);
            o.SegmentSizeBytes = segmentSize;
            o.MaxRecordSizeBytes = segmentSize / 2;
        });
        int maxRecord = segmentSize - SegmentHeader.Size - RecordHeader.SealSize;
        int fitsPlain = (maxRecord - RecordHeader.Size - "ss".Length - 8) / 2; // two events, framed exactly at the limit
        Assert.Equal(maxRecord, RecordHeader.Size + "ss".Length + (2 * (4 + fitsPlain)));

        var tooLarge = await Assert.ThrowsAsync<RecordTooLargeException>(async () => await log.AppendAsync("ss", 0, [new byte[fitsPlain], new byte[fitsPlain]]));
        Assert.Equal(maxRecord + (2 * PayloadCipher.Overhead), tooLarge.Bytes);

        int fitsSealed = fitsPlain - PayloadCipher.Overhead;
        await log.AppendAsync("ss", 0, [new byte[fitsSealed], new byte[fitsSealed]]);
        Assert.All((await log.ReadStreamAsync("ss")).Events, e => Assert.Equal(fitsSealed, e.Payload.Length));
    }

    [Fact]
    public async Task BackupAndRestore_EncryptedLog_RestoresWithTheKeysAndRefusesWithoutThem()
    {
        using var backup = new TempDirectory();
        using var withoutKeys = new TempDirectory();
        using var withKeys = new TempDirectory();
        var keys = new EncryptionKeyring([Key1]);
        await using (var log = await OpenAsync(o => o.Encryption = keys))
        {
            await log.AppendAsync("acct", 0, Events("SECRET-1", "SECRET-2"));
            LogBackup.Backup(Dir.Path, backup.Path);
        }

        var refused = await Assert.ThrowsAsync<EncryptionKeyNotFoundException>(() => LogBackup.RestoreAsync(backup.Path, withoutKeys.Path));
        Assert.Equal(1u, refused.KeyId);

        await LogBackup.RestoreAsync(backup.Path, withKeys.Path, keys);
        await using var restored = await WriteAheadLog.OpenAsync(Options(o =>
        {
            o.Directory = withKeys.Path;
            o.Encryption = keys;
        }));
        Assert.Equal(["SECRET-1", "SECRET-2"], (await restored.ReadStreamAsync("acct")).Events.Select(e => Text(e.Payload)));
        Assert.DoesNotContain(Directory.GetFiles(backup.Path), f => File.ReadAllBytes(f).AsSpan().IndexOf("SECRET-"u8) >= 0);
    }

    private static uint ReadSegmentKeyId(string path)
    {
        byte[] header = new byte[SegmentHeader.Size];
        using var file = File.OpenRead(path);
        file.ReadExactly(header);
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(header, out var parsed, out _, out _));
        return parsed.KeyId;
    }

    private static async Task<int> RotateAsync(WriteAheadLog log, int filler)
    {
        int segments = log.GetStatistics().SegmentCount;
        while (log.GetStatistics().SegmentCount == segments)
        {
            await log.AppendAsync($"f{filler++}", 0, [new byte[2000]]);
        }

        return filler;
    }

    private IReadOnlyList<string> FilesContaining(string marker) => LogDirectoryScan.FilesHolding(Dir.Path, Encoding.UTF8.GetBytes(marker));
}
