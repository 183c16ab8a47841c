using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

public sealed class FailureTests : LogTestBase
{
    [Fact]
    public async Task AppendAsync_FsyncFails_LogFailsAndNeverRetriesFsync()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(fileSystem: fs);
        await log.AppendAsync("s", 0, Events("durable"));
        await log.WhenSpareSettledAsync();
        fs.FailFsync = true;
        int fsyncAttemptsBefore = fs.Operations.Count(o => o.StartsWith("fsync", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, Events("lost?")));
        var later = await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, Events("later")));
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.FlushAsync());

        Assert.Equal("fsync", ex.Operation);
        Assert.IsType<IOException>(ex.InnerException);
        Assert.Equal("fsync", later.Operation);
        Assert.True(log.IsFailed);
        Assert.True(log.GetStatistics().IsFailed);
        Assert.Equal(fsyncAttemptsBefore + 1, fs.Operations.Count(o => o.StartsWith("fsync", StringComparison.Ordinal)));
        var read = await log.ReadStreamAsync("s");
        Assert.Equal(["durable"], read.Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task WriteCalls_AfterTheLogFailed_ReturnFaultedTasksInsteadOfThrowing()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(fileSystem: fs);
        await log.AppendAsync("s", 0, Events("durable"));
        await log.WhenSpareSettledAsync();
        fs.FailFsync = true;
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, Events("lost?")));

        // A caller that starts several writes (a grain's batch, the crash model's pending appends) must get each
        // outcome in its own task: the log may fail on the writer thread between two of its calls.
        Task append = log.AppendAsync("s", 1, Events("later")).AsTask();
        Task checkpoint = log.WriteCheckpointAsync("s", 1, new byte[] { 1 }).AsTask();
        Task delete = log.DeleteStreamAsync("s", ExpectedVersion.Any).AsTask();

        await Assert.ThrowsAsync<LogFailedException>(() => append);
        await Assert.ThrowsAsync<LogFailedException>(() => checkpoint);
        await Assert.ThrowsAsync<LogFailedException>(() => delete);
    }

    [Fact]
    public async Task AppendAsync_DiskFull_FailsCleanlyAndReopenShowsNothingPartial()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using (var log = await OpenAsync(fileSystem: fs))
        {
            await log.AppendAsync("s", 0, Events("ok"));
            fs.FreeBytes = 100;
            var ex = await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, [new byte[1000]]));
            Assert.True(ex.IsDiskFull);
            Assert.Equal("write", ex.Operation);
            Assert.Equal(1, log.GetStreamInfo("s").Version);
        }

        await using var reopened = await OpenAsync();
        var read = await reopened.ReadStreamAsync("s");
        Assert.Equal(1, read.Version);
        Assert.Equal(["ok"], read.Events.Select(e => Text(e.Payload)));
        Assert.True(reopened.GetStatistics().Recovery.TruncatedBytes > 0);
    }

    [Fact]
    public async Task OpenAsync_DiskFullWithPreallocatedSegments_OpensAndServesReadsWhileAppendsFailAsDiskFull()
    {
        await using (var log = await OpenAsync(o => o.PreallocateSegments = true))
        {
            await log.AppendAsync("s", 0, Events("ok"));
            await log.WhenSpareSettledAsync();
        }

        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance) { FreeBytes = 0 };
        await using var reopened = await OpenAsync(o => o.PreallocateSegments = true, fs);

        Assert.Equal(["ok"], (await reopened.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(1, reopened.GetStreamInfo("s").Version);
        var ex = await Assert.ThrowsAsync<LogFailedException>(async () => await reopened.AppendAsync("s", 1, Events("more")));
        Assert.True(ex.IsDiskFull, ex.ToString());
        Assert.Equal(["ok"], (await reopened.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task AppendAsync_TornWrite_ReopenTruncatesTheTornBatch()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using (var log = await OpenAsync(fileSystem: fs))
        {
            await log.AppendAsync("s", 0, Events("first"));
            await log.WhenSpareSettledAsync(); // the next write is the append's, not the spare's header
            fs.TearNextWriteAfter = 30;
            await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s", 1, Events("second", "third")));
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(1, (await reopened.ReadStreamAsync("s")).Version);
        Assert.Equal(30, reopened.GetStatistics().Recovery.TruncatedBytes);
    }

    [Fact]
    public async Task AppendAsync_PendingDuringFailure_AllFault()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(fileSystem: fs);
        await log.AppendAsync("warmup", 0, Events("x"));
        using var gate = new ManualResetEventSlim(false);
        fs.FsyncGate = gate;
        fs.FailFsync = true;
        var first = log.AppendAsync("a", 0, Events("1")).AsTask();
        Assert.True(await fs.FsyncEntered.WaitAsync(TimeSpan.FromSeconds(10)), "the writer never reached the first fsync");
        var pending = Enumerable.Range(0, 10).Select(i => log.AppendAsync($"p{i}", 0, Events("y")).AsTask()).ToList();
        gate.Set();

        await Assert.ThrowsAsync<LogFailedException>(() => first);
        foreach (var task in pending)
        {
            await Assert.ThrowsAsync<LogFailedException>(() => task);
        }
    }

    [Fact]
    public async Task AbandonAsync_PendingAppend_FailsAndNothingMoreIsWritten()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        var log = await OpenAsync(fileSystem: fs);
        await log.AppendAsync("s", 0, Events("1"));
        await log.WhenSpareSettledAsync(); // no background file operation races with the count below
        using var gate = new ManualResetEventSlim(false);
        fs.FsyncGate = gate;
        var inFlight = log.AppendAsync("s", 1, Events("2")).AsTask();
        Assert.True(await fs.FsyncEntered.WaitAsync(TimeSpan.FromSeconds(10)), "the writer never reached the fsync of the in-flight append");
        var queued = log.AppendAsync("s", 2, Events("3")).AsTask();
        var abandon = log.AbandonAsync().AsTask();
        int operationsAtAbandon = fs.Operations.Count;
        gate.Set();
        await abandon;

        await Assert.ThrowsAsync<LogFailedException>(() => queued);
        Assert.Equal(operationsAtAbandon, fs.Operations.Count);
        await inFlight; // its fsync was already running when the crash was simulated
    }
}
