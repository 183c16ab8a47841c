using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// Item 5 (engine half): a failed fsync fails the log stop: pending and later appends get typed errors, fsync is
/// never retried (PostgreSQL's fsyncgate), reads keep working, and after a reopen every acknowledged append is there
/// while the failed batches are all there or not at all.
/// </summary>
[Trait("Category", "Crash")]
public sealed class FsyncFailureTests
{
    private const string Directory = "/simulated/fsync";

    [Fact]
    public async Task AppendAsync_FsyncFails_FailsPendingAndLaterAppendsAndNeverRetries()
    {
        var disk = new SimulatedDisk();
        var fs = new CrashFileSystem(disk);
        fs.CreateDirectory(Directory);
        var workload = new Workload(() => disk.OperationCount);
        var log = await WriteAheadLog.OpenAsync(Options(SyncPolicy.Always), fs);
        for (int i = 0; i < 10; i++)
        {
            await workload.AppendAsync(log, "s" + (i % 3), [new byte[100 + i]]);
        }

        fs.FailFsync = true;
        var pending = Enumerable.Range(0, 5).Select(i => workload.AppendAsync(log, "p" + i, [new byte[50]])).ToArray();
        await Task.WhenAll(pending);
        Dictionary<string, int> failedFiles = fs.FailedFsyncsPerFile().Keys.ToDictionary(path => path, fs.FsyncCalls);

        Assert.All(workload.AllItems.Skip(10), item => Assert.IsType<LogFailedException>(item.Failure));
        Assert.Equal("fsync", ((LogFailedException)workload.AllItems[10].Failure!).Operation);
        // A file fsync failed, and no file's failed fsync was attempted again (a concurrent fsync of another file, e.g.
        // by maintenance, may fail too before the log has stopped: that is not a retry).
        Assert.NotEmpty(fs.FailedFsyncsPerFile());
        Assert.All(fs.FailedFsyncsPerFile(), failed => Assert.Equal(1, failed.Value));
        Assert.True(log.IsFailed);
        Assert.True(log.GetStatistics().IsFailed);
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s0", ExpectedVersion.Any, [new byte[1]]));
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.WriteCheckpointAsync("s0", 1, new byte[1]));
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.DeleteStreamAsync("s1", ExpectedVersion.Any));
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.FlushAsync());
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.CompactAsync());
        Assert.Null(await workload.CheckAsync(log, item => item.Acked, [])); // reads still serve what was acknowledged

        await log.DisposeAsync();
        // No retry, not even at close: a file whose fsync failed is never fsynced again, and no file has two failed
        // fsyncs. (A background fsync of another file already under way when the log failed may still end, and fail,
        // after the failure was observed: that is not a retry, and the global count of fsyncs is therefore not compared.)
        Assert.All(failedFiles, file => Assert.Equal(file.Value, fs.FsyncCalls(file.Key)));
        Assert.All(fs.FailedFsyncsPerFile(), failed => Assert.Equal(1, failed.Value));

        // Power loss after the failed fsync (the kernel dropped the unsynced pages) and a plain restart.
        foreach (var variant in new[] { CrashVariant.DurableOnly, CrashVariant.ProcessCrash })
        {
            var restarted = new CrashFileSystem(SimulatedDisk.FromImage(disk.CrashImage(variant, new Random(1))));
            restarted.CreateDirectory(Directory);
            await using var reopened = await WriteAheadLog.OpenAsync(Options(SyncPolicy.Always), restarted);
            Assert.Null(await workload.CheckAsync(reopened, item => item.Acked, []));
            await reopened.AppendAsync("after", ExpectedVersion.NoStream, [new byte[] { 1 }]);
        }
    }

    [Fact]
    public async Task FlushAsync_FsyncFailsUnderSyncNone_FailsTheLogAndLaterAppends()
    {
        var disk = new SimulatedDisk();
        var fs = new CrashFileSystem(disk);
        fs.CreateDirectory(Directory);
        await using var log = await WriteAheadLog.OpenAsync(Options(SyncPolicy.None), fs);
        await log.AppendAsync("s", 0, [new byte[10]]);
        fs.FailFsync = true;

        var ex = await Assert.ThrowsAsync<LogFailedException>(async () => await log.FlushAsync());
        int fsyncs = fs.TotalFsyncCalls();

        Assert.Equal("fsync", ex.Operation);
        Assert.False(ex.IsDiskFull);
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, [new byte[10]]));
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.FlushAsync());
        Assert.Equal(fsyncs, fs.TotalFsyncCalls());
    }

    private static WriteAheadLogOptions Options(SyncPolicy policy) => new()
    {
        Directory = Directory,
        SegmentSizeBytes = 64 * 1024,
        MaxRecordSizeBytes = 16 * 1024,
        SyncPolicy = policy,
        PreallocateSegments = false,
    };
}
