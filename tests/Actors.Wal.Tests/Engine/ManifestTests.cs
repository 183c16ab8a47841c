using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>segments.manifest: missing or truncated live segments are detected; non-live files are cleaned up.</summary>
public sealed class ManifestTests : LogTestBase
{
    [Theory]
    [InlineData(RecoveryMode.TolerateTornTail)]
    [InlineData(RecoveryMode.AbsoluteConsistency)]
    public async Task OpenAsync_MissingMiddleSegmentWithoutSnapshot_ThrowsNamingTheSegment(RecoveryMode mode)
    {
        await WriteThreeSegmentsAsync();
        string middle = Dir.Segments()[1];
        File.Delete(middle);
        File.Delete(Dir.File("index.snapshot"));

        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync(o => o.RecoveryMode = mode));

        Assert.Contains(Path.GetFileName(middle), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_MissingMiddleSegmentInSalvage_ReportsTheLoss()
    {
        await WriteThreeSegmentsAsync();
        string middle = Dir.Segments()[1];
        File.Delete(middle);

        await using var log = await OpenAsync(o => o.RecoveryMode = RecoveryMode.Salvage);

        Assert.Contains(log.GetStatistics().Recovery.Notes, n => n.Contains(Path.GetFileName(middle), StringComparison.Ordinal) && n.Contains("lost", StringComparison.Ordinal));

        // A stream with records there says it lost them (not "events reclaimed", not an empty stream).
        foreach (string stream in new[] { "mid", "x" })
        {
            var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await log.ReadStreamAsync(stream));
            Assert.Equal(middle, error.FilePath);
            Assert.Contains($"stream '{stream}'", error.Reason, StringComparison.Ordinal);
            Assert.Contains("missing", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OpenAsync_SealedSegmentTruncatedBelowItsSealedLength_Throws()
    {
        await WriteThreeSegmentsAsync();
        string first = Dir.Segments()[0];
        using (var stream = new FileStream(first, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync());

        Assert.Contains(Path.GetFileName(first), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SegmentFileNotListed_IsRemovedAndReported()
    {
        await WriteThreeSegmentsAsync();
        string[] segments = Dir.Segments();
        string stray = Dir.File("0000000009.wal"); // a creation that never reached the manifest
        File.Copy(segments[^1], stray);

        await using var log = await OpenAsync();

        Assert.False(File.Exists(stray));
        Assert.Contains(log.GetStatistics().Recovery.Notes, n => n.Contains("0000000009.wal", StringComparison.Ordinal) && n.Contains("removed", StringComparison.Ordinal));
        Assert.Equal(3, (await log.ReadStreamAsync("mid")).Version);
    }

    [Fact]
    public async Task OpenAsync_ManifestMissing_ScansAndReportsThatContinuityIsUnverified()
    {
        await WriteThreeSegmentsAsync();
        File.Delete(Dir.File("segments.manifest"));

        await using (var log = await OpenAsync())
        {
            Assert.Contains(log.GetStatistics().Recovery.Notes, n => n.Contains("continuity could not be verified", StringComparison.Ordinal));
            Assert.Equal(3, (await log.ReadStreamAsync("mid")).Version);
        }

        Assert.True(File.Exists(Dir.File("segments.manifest")));
    }

    [Fact]
    public async Task OpenAsync_ManifestDamaged_ScansAndReportsThatContinuityIsUnverified()
    {
        await WriteThreeSegmentsAsync();
        FaultInjectingFileSystem.FlipBit(Dir.File("segments.manifest"), 13);

        await using var log = await OpenAsync();

        Assert.Contains(log.GetStatistics().Recovery.Notes, n => n.Contains("checksum mismatch", StringComparison.Ordinal) && n.Contains("continuity could not be verified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_ManifestFromNewerFormat_ThrowsUnsupportedFormatVersion()
    {
        await WriteThreeSegmentsAsync();
        string path = Dir.File("segments.manifest");
        byte[] data = File.ReadAllBytes(path);
        data[6] = 99; // MinCompatibleVersion
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(data.Length - 4), Actors.Checksums.Crc32C.Compute(data.AsSpan(0, data.Length - 4)));
        File.WriteAllBytes(path, data);

        var error = await Assert.ThrowsAsync<UnsupportedFormatVersionException>(async () => await OpenAsync());

        Assert.Contains("segments.manifest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SalvageSkipsDamagedLastSegment_NewSegmentIdExceedsEveryIdOnDisk()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("a", 0, Events("1"));
        }

        string segment = Dir.Segments()[0];
        FaultInjectingFileSystem.FlipBit(segment, 0); // bad magic, records intact after the header

        await using (var salvaged = await OpenAsync(o => o.RecoveryMode = RecoveryMode.Salvage))
        {
            Assert.Contains(salvaged.GetStatistics().Recovery.Notes, n => n.Contains("skipped", StringComparison.Ordinal));
            await salvaged.AppendAsync("b", 0, Events("2"));
        }

        Assert.True(File.Exists(segment)); // kept as evidence
        Assert.Equal(2, Dir.Segments().Length);
        await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync());
    }

    [Fact]
    public async Task OpenAsync_ReadOnlyWithSegmentFileNotListed_IgnoresItWithoutDeleting()
    {
        await WriteThreeSegmentsAsync();
        string stray = Dir.File("0000000009.wal");
        File.Copy(Dir.Segments()[^1], stray);

        await using var log = await OpenAsync(o => o.ReadOnly = true);

        Assert.True(File.Exists(stray));
        Assert.Contains(log.GetStatistics().Recovery.Notes, n => n.Contains("0000000009.wal", StringComparison.Ordinal) && n.Contains("read-only", StringComparison.Ordinal));
        Assert.Equal(3, (await log.ReadStreamAsync("mid")).Version);
    }

    [Fact]
    public async Task CompactAsync_DeletingASegment_WritesSnapshotThenManifestThenDeletes()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(fileSystem: fs);
        await log.AppendAsync("y", 0, Events("1"));
        long x = 0;
        while (log.GetStatistics().SegmentCount < 2)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        await log.WriteCheckpointAsync("x", x, Bytes("cp"));
        await log.WriteCheckpointAsync("y", 1, Bytes("cp"));
        await log.CompactAsync(); // deletes segment 1 (or a background pass already did; operations are recorded since open)

        string[] ops;
        lock (fs.Operations)
        {
            ops = [.. fs.Operations];
        }

        int delete = Array.IndexOf(ops, "delete 0000000001.wal");
        delete = delete >= 0 ? delete : Array.IndexOf(ops, "rename 0000000001.wal 0000000001.wal.recycle"); // kept for reuse
        Assert.True(delete >= 0, $"segment 1 was not deleted: {string.Join(" | ", ops)}");
        int snapshot = Array.LastIndexOf(ops, "rename index.snapshot.tmp index.snapshot", delete);
        int manifest = Array.LastIndexOf(ops, "rename segments.manifest.tmp segments.manifest", delete);
        Assert.True(snapshot >= 0 && manifest > snapshot, $"expected snapshot, then manifest, then delete: {string.Join(" | ", ops)}");
    }

    private async Task WriteThreeSegmentsAsync()
    {
        await using var log = await OpenAsync();
        long x = 0;
        while (log.GetStatistics().SegmentCount < 2)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        await log.AppendAsync("mid", 0, Events("1", "2", "3"));
        while (log.GetStatistics().SegmentCount < 3)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }
    }
}
