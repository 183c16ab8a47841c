using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// <see cref="WriteAheadLogOptions.CommitOnCallingThread"/>: a log that never syncs commits each write on the thread that
/// calls, so the call returns complete, while order, version checks, rotation, maintenance and reopening stay as with a
/// committer thread (the conformance suite runs on it too: <c>CommitOnCallingThreadConformanceTests</c>).
/// </summary>
public sealed class CommitOnCallingThreadTests : LogTestBase
{
    [Fact]
    public async Task AppendAsync_CommitOnCallingThread_IsCompleteAndReadableWhenTheCallReturns()
    {
        await using var log = await OpenAsync(CommitInline);
        for (int i = 0; i < 50; i++)
        {
            var append = log.AppendAsync($"s{i % 5}", i / 5, Events($"e{i}"));

            Assert.True(append.IsCompletedSuccessfully, $"append {i} was not complete when AppendAsync returned (status: {(append.IsFaulted ? "faulted" : "pending")})");
            Assert.Equal((await append).LastLsn, log.WrittenLsn);
            Assert.Equal(i / 5 + 1, log.GetStreamInfo($"s{i % 5}").Version);
        }

        var checkpoint = log.WriteCheckpointAsync("s0", 10, Bytes("state@10"));
        Assert.True(checkpoint.IsCompletedSuccessfully, "the checkpoint was not complete when WriteCheckpointAsync returned");
        var delete = log.DeleteStreamAsync("s1", 10);
        Assert.True(delete.IsCompletedSuccessfully, "the delete was not complete when DeleteStreamAsync returned");

        var s0 = await log.ReadStreamAsync("s0");
        Assert.Equal("state@10", Text(s0.Checkpoint!.State));
        Assert.True(log.GetStreamInfo("s1").IsDeleted, "s1 is not deleted after its delete completed");
        Assert.Equal(Enumerable.Range(0, 10).Select(k => $"e{(k * 5) + 2}"), (await log.ReadStreamAsync("s2")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task AppendAsync_CommitOnCallingThreadWrongVersion_IsRefusedAtOnceAndTheLogGoesOn()
    {
        await using var log = await OpenAsync(CommitInline);
        await log.AppendAsync("s", 0, Events("a"));

        var refused = log.AppendAsync("s", 0, Events("b"));

        Assert.True(refused.IsFaulted, "a version conflict was not refused when AppendAsync returned");
        var conflict = await Assert.ThrowsAsync<StreamVersionConflictException>(() => refused.AsTask());
        Assert.Equal(1, conflict.ActualVersion);
        await log.AppendAsync("s", 1, Events("c"));
        Assert.Equal(["a", "c"], (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
        Assert.False(log.IsFailed, "a refused append failed the log");
    }

    [Fact]
    public async Task AppendAsync_CommitOnCallingThreadFromManyThreads_EveryWriteAppliedOnceInCallOrderPerStream()
    {
        const int Writers = 8;
        const int PerWriter = 300;
        await using var log = await OpenAsync(CommitInline);
        using var start = new Barrier(Writers);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(PollDeadline);
                var lsns = new List<long>(2 * PerWriter);
                for (int i = 0; i < PerWriter; i++)
                {
                    lsns.Add(log.AppendAsync($"own-{w}", i, Events($"{w}:{i}")).AsTask().GetAwaiter().GetResult().LastLsn);
                    lsns.Add(log.AppendAsync("shared", ExpectedVersion.Any, Events($"{w}:{i}")).AsTask().GetAwaiter().GetResult().LastLsn);
                }

                return lsns;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        var lsnsByWriter = await Task.WhenAll(writers);

        var all = lsnsByWriter.SelectMany(l => l).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter * 2).Select(l => (long)l), all.Order());
        Assert.All(lsnsByWriter, l => Assert.True(l.SequenceEqual(l.Order()), "a writer's later call got a lower LSN than its earlier one"));
        for (int w = 0; w < Writers; w++)
        {
            var own = await log.ReadStreamAsync($"own-{w}");
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => $"{w}:{i}"), own.Events.Select(e => Text(e.Payload)));
        }

        var shared = await log.ReadStreamAsync("shared");
        Assert.Equal(Writers * PerWriter, shared.Events.Count);
        Assert.True(shared.Events.Select(e => e.Lsn).SequenceEqual(shared.Events.Select(e => e.Lsn).Order()), "the shared stream's versions are not in LSN order");
        for (int w = 0; w < Writers; w++)
        {
            var mine = shared.Events.Select(e => Text(e.Payload)).Where(p => p.StartsWith($"{w}:", StringComparison.Ordinal));
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => $"{w}:{i}"), mine);
        }
    }

    [Fact]
    public async Task AppendAsync_CommitOnCallingThreadPastSegmentSize_SealsAreSyncedAndEverythingReopens()
    {
        long lastLsn;
        await using (var log = await OpenAsync(CommitInline))
        {
            Assert.Equal(0, log.DurableLsn);
            lastLsn = 0;
            for (int i = 0; i < 100; i++)
            {
                lastLsn = (await log.AppendAsync("big", i, [new byte[3000]])).LastLsn;
            }

            Assert.True(log.GetStatistics().SegmentCount >= 4, $"expected at least 4 segments, saw {log.GetStatistics().SegmentCount}");
            Assert.True(log.DurableLsn > 0, "no rotation's seal was synced (the durable LSN never moved under SyncPolicy.None)");
        }

        await using var reopened = await OpenAsync(CommitInline);
        var read = await reopened.ReadStreamAsync("big");
        Assert.Equal(Enumerable.Range(1, 100).Select(v => (long)v), read.Events.Select(e => e.Version));
        Assert.Equal(lastLsn, reopened.WrittenLsn);
    }

    [Fact]
    public async Task CompactAsync_CommitOnCallingThread_CopiesTheIdleStreamForwardOnMaintenancesThread()
    {
        await using var log = await OpenAsync(o =>
        {
            CommitInline(o);
            o.CompactionLiveRatio = 0.5;
        });
        await CompactIdleStreamOutOfFirstSegmentAsync(log);
        var next = log.AppendAsync("idle", 2, Events("i3"));
        Assert.True(next.IsCompletedSuccessfully, "the append after the copy was not complete when AppendAsync returned");
        Assert.Equal(3, (await next).FirstVersion);
    }

    [Fact]
    public async Task AppendAsync_CommitOnCallingThreadManyStreams_DemotesTheIndexWithoutACommitterAndFindsEveryStream()
    {
        const int Streams = 17_000; // past the writer's 16,384 held streams: the next drain demotes the index
        await using var log = await OpenAsync(o =>
        {
            CommitInline(o);
            o.SegmentSizeBytes = 4 * 1024 * 1024;
        });
        for (int i = 0; i < Streams; i++)
        {
            var append = log.AppendAsync($"stream-{i}", ExpectedVersion.NoStream, Events("x"));
            Assert.True(append.IsCompletedSuccessfully, $"append to stream-{i} was not complete when AppendAsync returned");
        }

        Assert.True(log.GetStatistics().IndexDemotions >= 1, "the writer never demoted the index");
        foreach (int i in new[] { 0, 1, 8_191, 16_383, 16_384, Streams - 1 })
        {
            Assert.Equal(1, log.GetStreamInfo($"stream-{i}").Version);
            await log.AppendAsync($"stream-{i}", 1, Events("y"));
        }
    }
}
