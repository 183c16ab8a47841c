using Actors.Wal.IO;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The rows of docs/durability.md's "I/O fault matrix" that no other test shows: an fsync failing with ENOSPC, a failed
/// rename, a failed directory sync, a failed read. Each says what the log does (refuse one request, fail-stop) and what it
/// still serves.
/// </summary>
public sealed class IoFaultMatrixTests : LogTestBase
{
    [Fact]
    public async Task AppendAsync_FsyncFailsWithEnospc_LogFailsAsDiskFullAndKeepsServingReads()
    {
        await using var log = await OpenOnFilesAsync();
        await log.AppendAsync("s", 0, Events("durable"));
        await log.WhenSpareSettledAsync();
        Files.FsyncErrno = FaultInjectingFileSystem.EnospcErrno;
        Files.FailFsync = true;

        var ex = await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, Events("unknown")));

        Assert.Equal("fsync", ex.Operation);
        Assert.True(ex.IsDiskFull);
        Assert.Contains("No space left on the device", ex.Message, StringComparison.Ordinal);
        Assert.True(log.IsFailed, "a failed fsync is fail-stop: never retried");
        Assert.Null(log.GetStatistics().DiskFull);
        Assert.False(ex.Refused, "the append in flight when the fsync failed has an unknown outcome");
        Files.FailFsync = false;
        var later = await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, Events("still refused")));
        Assert.True(later.Refused, "an append after the failure is refused: nothing of it is written");
        Assert.Contains("nothing of it was written", later.Message, StringComparison.Ordinal);
        Assert.Equal(["durable"], (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    [Theory]
    [InlineData(FaultInjectingFileSystem.EnospcErrno)]
    [InlineData(FaultInjectingFileSystem.EioErrno)]
    public async Task AppendAsync_RenameFailsWhenTheNextSegmentIsListed_LogFailsAndKeepsWhatWasAcknowledged(int errno)
    {
        var acknowledged = new List<string>();
        await using (var log = await OpenOnFilesAsync())
        {
            await log.WhenSpareSettledAsync();
            Files.RenameErrno = errno; // the manifest's rename: the next spare cannot be listed, the inline segment neither
            LogFailedException failure = await AppendUntilAsync<LogFailedException>(log, acknowledged);

            Assert.Equal("rotate", failure.Operation);
            Assert.True(log.IsFailed);
            Assert.Equal(acknowledged, (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
        }

        Files.RenameErrno = null;
        await using var reopened = await OpenAsync();
        Assert.Equal(acknowledged, (await reopened.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    [Theory]
    [InlineData(FaultInjectingFileSystem.EnospcErrno)]
    [InlineData(FaultInjectingFileSystem.EioErrno)]
    public async Task AppendAsync_DirectorySyncFails_LogFailsAndKeepsWhatWasAcknowledged(int errno)
    {
        var acknowledged = new List<string>();
        await using (var log = await OpenOnFilesAsync())
        {
            await log.WhenSpareSettledAsync();
            Files.DirectorySyncErrno = errno;
            LogFailedException failure = await AppendUntilAsync<LogFailedException>(log, acknowledged);

            // Whichever sync meets it first (the inline segment's creation, or the manifest that lists the spare the writer
            // took), a failed directory sync fails the log, with ENOSPC too: names created or renamed before may not be durable.
            Assert.True(log.IsFailed, $"a failed directory sync is fail-stop; got {failure.Message}");
            Assert.Null(log.GetStatistics().DiskFull);
            Assert.Equal(acknowledged, (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
        }

        Files.DirectorySyncErrno = null;
        await using var reopened = await OpenAsync();
        Assert.Equal(acknowledged, (await reopened.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    /// <summary>
    /// A device full to the last pages: the rotation takes the spare prepared before, its space pass cannot write
    /// <c>index.snapshot.tmp</c> (ENOSPC), and the next rotation cannot create a segment. The pass is skipped and counted
    /// (the snapshot only speeds recovery up; the file it was to replace is untouched and the temporary file is gone), the
    /// log stays healthy, writes meet the normal <see cref="LogDiskFullException"/> and resume once there is room, when a
    /// pass runs again.
    /// </summary>
    [Fact]
    public async Task SpacePass_SnapshotWriteFailsWithEnospc_SkipsThePassAndWritesResumeOnceSpaceReturns()
    {
        var acknowledged = new List<string>();
        await using (var log = await OpenOnFilesAsync())
        {
            await log.AppendAsync("s", 0, Events("first"));
            acknowledged.Add("first");
            await log.WhenSpareSettledAsync();
            long snapshotsBefore = log.GetStatistics().SnapshotsWritten + log.GetStatistics().SnapshotDeltasWritten;
            Files.SegmentCreationErrno = FaultInjectingFileSystem.EnospcErrno;
            Files.FailedWritesPrefix = "index.";
            Files.FailedWritesErrno = FaultInjectingFileSystem.EnospcErrno;

            LogDiskFullException refusal = await AppendUntilAsync<LogDiskFullException>(log, acknowledged);
            await PollAsync(() => log.GetStatistics().SpacePassesSkippedNoSpace > 0, "expected the rotation's space pass to be skipped on the snapshot's ENOSPC");

            Assert.False(log.IsFailed, $"a full device while writing the snapshot's temporary file must not fail the log: {log.GetStatistics().Failure?.Message}");
            Assert.NotNull(log.GetStatistics().DiskFull);
            Assert.Contains("No space left on the device", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(snapshotsBefore, log.GetStatistics().SnapshotsWritten + log.GetStatistics().SnapshotDeltasWritten);
            Assert.False(File.Exists(Path.Combine(Dir.Path, "index.snapshot.tmp")), "the temporary file of the skipped snapshot must be deleted");
            Assert.False(File.Exists(Path.Combine(Dir.Path, "index.delta.tmp")), "the temporary file of the skipped snapshot must be deleted");
            Assert.Equal(acknowledged, (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));

            Files.SegmentCreationErrno = null;
            Files.FailedWritesErrno = null;
            for (int i = 0; i < 25; i++)
            {
                string text = $"after{i:D2}" + new string('y', 2993);
                await log.AppendAsync("s", acknowledged.Count, Events(text));
                acknowledged.Add(text);
            }

            await log.WhenMaintenanceIdleAsync();
            Assert.Null(log.GetStatistics().DiskFull);
            Assert.False(log.IsFailed);
            Assert.True(log.GetStatistics().SnapshotsWritten + log.GetStatistics().SnapshotDeltasWritten > snapshotsBefore, "a pass after space returned should write the snapshot again");
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(acknowledged, (await reopened.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    /// <summary>
    /// <see cref="WriteAheadLog.CompactAsync"/> on a full device, once with the snapshot's temporary file refused and once
    /// with the manifest's (after the snapshot, when the pass drops the dead segments): the pass is skipped, its caller
    /// gets the ENOSPC naming the file, nothing is deleted, the log stays healthy, and the next pass deletes them.
    /// </summary>
    [Theory]
    [InlineData("index.")]
    [InlineData("segments.manifest")]
    public async Task CompactAsync_MetadataWriteFailsWithEnospc_SkipsThePassAndTheNextOneDeletes(string refusedFile)
    {
        await using var log = await OpenOnFilesAsync(o => o.CompactionLiveRatio = 0);
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("s", 60, Bytes("state@60"));
        await log.AppendAsync("s", 60, Events("61"));
        await log.WhenMaintenanceIdleAsync();
        int segmentsBefore = Dir.Segments().Length;
        Files.FailedWritesPrefix = refusedFile;
        Files.FailedWritesErrno = FaultInjectingFileSystem.EnospcErrno;

        var skipped = await Assert.ThrowsAsync<FileNotReplacedException>(async () => await log.CompactAsync());

        Assert.True(LogFailedException.IsDiskFullError(skipped), $"expected ENOSPC, got {skipped.Message}");
        Assert.StartsWith(refusedFile, Path.GetFileName(skipped.Path), StringComparison.Ordinal);
        Assert.False(log.IsFailed, $"the pass must be skipped, not fail the log: {log.GetStatistics().Failure?.Message}");
        Assert.Equal(1, log.GetStatistics().SpacePassesSkippedNoSpace);
        Assert.Equal(segmentsBefore, Dir.Segments().Length);
        Assert.False(File.Exists(skipped.TempPath), "the refused temporary file must be deleted");
        Assert.Equal("state@60", Text((await log.ReadStreamAsync("s")).Checkpoint!.State));

        Files.FailedWritesErrno = null;
        var result = await log.CompactAsync();

        Assert.True(result.SegmentsDeleted > 0, "the pass after space returned should delete the dead segments");
        Assert.Equal(segmentsBefore - result.SegmentsDeleted, Dir.Segments().Length);
        await log.AppendAsync("s", 61, Events("62"));
        Assert.Equal([61L, 62L], (await log.ReadStreamAsync("s")).Events.Select(e => e.Version));
    }

    [Fact]
    public async Task ReadStreamAsync_SegmentReadFails_ThatReadFailsAndTheLogStaysHealthy()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 0, Events("a", "b"));
        }

        await using var reopened = await OpenOnFilesAsync();
        Files.FailSegmentReads = true;
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await reopened.ReadStreamAsync("s"));
        Assert.True(error is IOException || error.InnerException is IOException, $"expected the read's I/O error, got {error}");
        Assert.False(reopened.IsFailed, "a failed foreground read refuses that read only");

        Files.FailSegmentReads = false;
        Assert.Equal(["a", "b"], (await reopened.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
        await reopened.AppendAsync("s", 2, Events("c"));
    }

    /// <summary>Appends 3,000-byte events to stream <c>s</c> until one throws <typeparamref name="TException"/> (a 64 KiB segment holds about 20).</summary>
    private static async Task<TException> AppendUntilAsync<TException>(WriteAheadLog log, List<string> acknowledged)
        where TException : Exception
    {
        for (int i = 0; i < 200; i++)
        {
            string text = $"{i:D4}" + new string('x', 2996);
            try
            {
                await log.AppendAsync("s", acknowledged.Count, Events(text));
                acknowledged.Add(text);
            }
            catch (TException ex)
            {
                return ex;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected a {typeof(TException).Name} within 200 appends of 3,000 B; {acknowledged.Count} were acknowledged.");
    }
}
