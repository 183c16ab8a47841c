using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

public sealed class GroupCommitTests : LogTestBase
{
    [Fact]
    public async Task AppendAsync_ManyWritersDuringAnFsync_AreWrittenMeanwhileAndShareOneFsync()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(fileSystem: fs);
        using var gate = new ManualResetEventSlim(false);
        fs.FsyncGate = gate;
        var first = log.AppendAsync("first", 0, Events("x")).AsTask();
        Assert.True(await fs.FsyncEntered.WaitAsync(TimeSpan.FromSeconds(10)), "the committer never reached the first fsync");
        long fsyncsBefore = log.GetStatistics().Fsyncs;
        long recordsBefore = log.GetStatistics().AppendedRecords;

        // The writer keeps writing while the committer waits in the fsync (pipelining) ...
        var writers = Enumerable.Range(0, 63).Select(i => log.AppendAsync($"w{i}", 0, Events($"e{i}")).AsTask()).ToList();
        Assert.True(await WaitUntilAsync(() => log.GetStatistics().AppendedRecords == recordsBefore + 63), $"expected 63 written appends, saw {log.GetStatistics().AppendedRecords - recordsBefore}");
        Assert.All(writers, w => Assert.False(w.IsCompleted, "acknowledged before its fsync"));
        gate.Set();
        fs.FsyncGate = null;
        await first;
        await Task.WhenAll(writers);

        // ... and one fsync after the blocked one (counted when it returns) covers all 63.
        Assert.Equal(fsyncsBefore + 2, log.GetStatistics().Fsyncs);
        Assert.All(writers, w => Assert.Equal(1, w.Result.LastVersion));
    }

    [Fact]
    public async Task AppendAsync_IntervalPolicy_AcknowledgesBeforeFsyncAndTimerMakesDurable()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(o => { o.SyncPolicy = SyncPolicy.Interval; o.SyncInterval = TimeSpan.FromSeconds(1); }, fs, time);
        long fsyncs = log.GetStatistics().Fsyncs;

        await log.AppendAsync("s", 0, Events("1"));

        Assert.Equal(1, log.WrittenLsn);
        Assert.Equal(0, log.DurableLsn);
        Assert.Equal(fsyncs, log.GetStatistics().Fsyncs);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await WaitUntilAsync(() => log.DurableLsn == 1), "the interval timer never made LSN 1 durable");
        Assert.Equal(fsyncs + 1, log.GetStatistics().Fsyncs);
    }

    [Fact]
    public async Task FlushAsync_NonePolicy_MakesWrittenDurable()
    {
        await using var log = await OpenAsync(o => o.SyncPolicy = SyncPolicy.None);
        await log.AppendAsync("s", 0, Events("1", "2"));
        Assert.Equal(0, log.DurableLsn);
        await log.FlushAsync();
        Assert.Equal(2, log.DurableLsn);
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Yield();
            await Task.Delay(1);
        }

        return true;
    }
}
