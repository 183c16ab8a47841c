using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Format;
using Actors.Wal.Recovery;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// Minimal, deterministic reproductions of engine bugs the crash, damage and fuzz suites found, on real files. Open
/// bugs are skipped with the one-line reason until the engine is fixed (remove the Skip to verify a fix); fixed ones
/// run as regression tests.
/// </summary>
[Trait("Category", "Crash")]
public sealed class EngineBugReproductionTests : IDisposable
{
    private readonly TempDirectory _dir = new("actors-crash-tests", preferMemory: true);

    [Fact]
    public async Task OpenAsync_CrashAfterCompactionDeletedASegmentTheSnapshotStillReferences_Recovers()
    {
        var options = Options();
        var log = await WriteAheadLog.OpenAsync(options);
        await log.AppendAsync("y", 0, [new byte[100]]);
        long x = 0;
        while (log.GetStatistics().SegmentCount < 2)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        // The rotation's maintenance pass (snapshot, then space pass) runs in the background: wait for it, so the
        // snapshot was written while y's only record was in segment 1 and that pass found nothing dead. Checkpoints
        // in segment 2 then make segment 1 dead; the compaction below deletes it.
        await log.WhenMaintenanceIdleAsync();
        await log.WriteCheckpointAsync("x", x, new byte[10]);
        await log.WriteCheckpointAsync("y", 1, new byte[10]);
        var compaction = await log.CompactAsync();
        Assert.Equal(1, compaction.SegmentsDeleted);
        await log.AbandonAsync(); // a process kill: everything written is on disk, nothing more is written

        await using var reopened = await WriteAheadLog.OpenAsync(options);
        var y = await reopened.ReadStreamAsync("y");
        Assert.Equal(1, y.Checkpoint!.Version);
        Assert.Equal(x, (await reopened.ReadStreamAsync("x")).Version);
    }

    [Fact]
    public async Task OpenAsync_TornHeaderOfNewPreallocatedLastSegment_RemovesItAndRecovers()
    {
        var options = Options(preallocate: true);
        long x = 0;
        var log = await WriteAheadLog.OpenAsync(options);
        while (log.GetStatistics().SegmentCount < 2)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        await log.AbandonAsync();

        // The crash state at the boundary "header write of segment 2, before its fsync": segment 1 sealed and
        // synced, segment 2 preallocated with only the first 20 bytes of its header on disk, no index.snapshot yet
        // (it is written after the rotation). The append that triggered the rotation was never acknowledged.
        string second = _dir.Segments()[1];
        byte[] bytes = File.ReadAllBytes(second);
        Array.Clear(bytes, 20, bytes.Length - 20);
        File.WriteAllBytes(second, bytes);
        File.Delete(_dir.File("index.snapshot"));

        await using var reopened = await WriteAheadLog.OpenAsync(options);
        Assert.Equal(x - 1, (await reopened.ReadStreamAsync("x")).Version);
    }

    [Fact]
    public async Task OpenAsync_SalvageWithDamagedHeaderOfTheLastSegment_ReportsAndOpens()
    {
        var options = Options();
        await using (var log = await WriteAheadLog.OpenAsync(options))
        {
            await log.AppendAsync("a", 0, [new byte[] { 1 }]);
        }

        string segment = _dir.Segments()[0];
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[0] ^= 1; // bad magic
        File.WriteAllBytes(segment, bytes);
        options.RecoveryMode = RecoveryMode.Salvage;

        await using var salvaged = await WriteAheadLog.OpenAsync(options);
        Assert.Contains(salvaged.GetStatistics().Recovery.Notes, n => n.Contains("skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryParse_SnapshotWithHugeSegmentCountAndValidCrc_ReturnsNullWithoutAllocatingIt()
    {
        byte[] snapshot = await CleanSnapshotAsync();
        BinaryPrimitives.WriteInt32LittleEndian(snapshot.AsSpan(36), int.MaxValue);
        FixSnapshotCrc(snapshot);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var parsed = RecoverySnapshot.TryParse(snapshot, out string? reason);

        Assert.Null(parsed);
        Assert.NotNull(reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024);
    }

    [Fact]
    public async Task OpenAsync_SnapshotRecoveryPointBeyondTheSegmentEnd_IsRefusedAndSalvageDoesNotTrustIt()
    {
        byte[] snapshot = await CleanSnapshotAsync();
        BinaryPrimitives.WriteInt64LittleEndian(snapshot.AsSpan(16), 1024 * 1024);
        FixSnapshotCrc(snapshot);
        File.WriteAllBytes(_dir.File("index.snapshot"), snapshot);

        // The recovery point is a durable claim: a file that ends before it lost acknowledged data.
        await Assert.ThrowsAsync<LogCorruptedException>(async () => await WriteAheadLog.OpenAsync(Options()));
        var salvage = Options();
        salvage.RecoveryMode = RecoveryMode.Salvage;
        await using (var log = await WriteAheadLog.OpenAsync(salvage))
        {
            await log.AppendAsync("a", ExpectedVersion.Any, [new byte[] { 9 }]);
        }

        Assert.All(_dir.Segments(), s => Assert.True(new FileInfo(s).Length <= 64 * 1024, $"{s} was written at the bogus recovery point"));
        File.Delete(_dir.File("index.snapshot"));
        await using var rescanned = await WriteAheadLog.OpenAsync(Options());
        Assert.Equal(3, (await rescanned.ReadStreamAsync("a")).Version);
    }

    [Fact]
    public async Task ReadStreamAsync_RecordWithOutOfRangeTimestampAndValidCrc_ThrowsTypedError()
    {
        await using (var log = await WriteAheadLog.OpenAsync(Options()))
        {
            await log.AppendAsync("a", 0, [new byte[] { 1 }]);
        }

        File.Delete(_dir.File("index.snapshot"));
        string segment = _dir.Segments()[0];
        byte[] bytes = File.ReadAllBytes(segment);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(SegmentHeader.Size));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(SegmentHeader.Size + 32), long.MaxValue);
        RecordCodec.SealCrc(bytes.AsSpan(SegmentHeader.Size, length), SegmentHeader.ReadRecordSalt(bytes));
        File.WriteAllBytes(segment, bytes);

        await using var reopened = await WriteAheadLog.OpenAsync(Options());
        var ex = await Record.ExceptionAsync(async () => await reopened.ReadStreamAsync("a"));
        Assert.True(ex is null or WalException, $"got {ex?.GetType().Name}");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<byte[]> CleanSnapshotAsync()
    {
        await using (var log = await WriteAheadLog.OpenAsync(Options()))
        {
            await log.AppendAsync("a", 0, [new byte[] { 1 }, new byte[] { 2 }]);
            await log.AppendAsync("b", 0, [new byte[] { 3 }]);
        }

        return File.ReadAllBytes(_dir.File("index.snapshot"));
    }

    private static void FixSnapshotCrc(byte[] snapshot)
        => BinaryPrimitives.WriteUInt32LittleEndian(snapshot.AsSpan(snapshot.Length - 4), Crc32C.Compute(snapshot.AsSpan(0, snapshot.Length - 4)));

    private WriteAheadLogOptions Options(bool preallocate = false) => new()
    {
        Directory = _dir.Path,
        SegmentSizeBytes = 64 * 1024,
        MaxRecordSizeBytes = 16 * 1024,
        PreallocateSegments = preallocate,
    };
}
