using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.ChangeFeed;

/// <summary>
/// Writers and a tailing reader run together; the log crashes at a random point (abandoned: what a killed process
/// leaves; or a torn write that fails the log). After reopening, the reader resumes from the position it last stored: every acknowledged append is delivered
/// at least once, the resumed read starts exactly after the stored LSN, and nothing the reader saw before the crash
/// differs from (or is missing in) the reopened log.
/// </summary>
[Trait("Category", "Crash")]
public sealed class ChangeFeedCrashTests : LogTestBase
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public async Task ReadChangesAsync_CrashWhileTailing_ResumedReaderGetsEveryAcknowledgedAppend(int seed, bool tornWrite)
    {
        var random = new Random(seed);
        const int Writers = 8;
        int crashAfterAppends = random.Next(100, 400);
        int storeEvery = random.Next(3, 17);
        var acked = new List<string>[Writers];
        var seenBeforeCrash = new List<LogChange>();
        var stored = ChangeFeedPosition.Beginning;
        int appends = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var crashed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        Exception? readerEnd = null;
        var log = await OpenAsync(fileSystem: fs);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in log.ReadChangesAsync(ChangeFeedPosition.Beginning, follow: true, cts.Token))
                {
                    seenBeforeCrash.Add(change);
                    if (seenBeforeCrash.Count % storeEvery == 0)
                    {
                        stored = change.Position; // at-least-once: stored after handling, not every change
                    }
                }
            }
            catch (Exception ex) when (ex is ObjectDisposedException or LogFailedException)
            {
                readerEnd = ex; // the crash ends the read
            }
        });
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var writerRandom = new Random((seed * 100) + w);
            acked[w] = [];
            while (!crashed.Task.IsCompleted)
            {
                string[] batch = Enumerable.Range(0, writerRandom.Next(1, 4)).Select(i => $"w{w}-{acked[w].Count + i}-" + new string('p', writerRandom.Next(1, 1500))).ToArray();
                try
                {
                    await log.AppendAsync($"w{w}", acked[w].Count, batch.Select(Bytes).ToArray());
                    acked[w].AddRange(batch);
                }
                catch (Exception ex) when (ex is LogFailedException or ObjectDisposedException)
                {
                    crashed.TrySetResult();
                    return;
                }

                int done = Interlocked.Increment(ref appends);
                if (tornWrite && done >= crashAfterAppends)
                {
                    // The next write fails half done; until one of a segment fails the log (a background file's write
                    // may take the fault first), keep injecting.
                    fs.TearNextWriteAfter ??= writerRandom.Next(0, 3000);
                }
                else if (done == crashAfterAppends)
                {
                    crashed.TrySetResult();
                    await log.AbandonAsync();
                }
            }
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(cts.Token);
        await reader.WaitAsync(cts.Token);
        Assert.True(crashed.Task.IsCompleted, $"seed {seed}: the crash never happened");
        if (tornWrite)
        {
            // A failed log hands out everything durable, then says it failed: the reader saw every acknowledged append.
            Assert.IsType<LogFailedException>(readerEnd);
            for (int w = 0; w < Writers; w++)
            {
                var got = seenBeforeCrash.Where(c => c.StreamId == $"w{w}").Select(c => Text(c.Payload)).ToList();
                Assert.Equal(acked[w], got.Take(acked[w].Count));
            }
        }

        await log.DisposeAsync();

        await using var reopened = await OpenAsync();
        var full = await ChangeFeedTests.ReadAllAsync(reopened, ChangeFeedPosition.Beginning);
        Assert.Equal(Enumerable.Range(1, full.Count).Select(i => (long)i), full.Select(c => c.Lsn));
        foreach (var change in seenBeforeCrash)
        {
            Assert.True(change.Lsn <= full.Count, $"seed {seed}: LSN {change.Lsn} was handed out before the crash but is not in the reopened log ({full.Count} changes)");
            var again = full[(int)change.Lsn - 1];
            Assert.Equal((change.StreamId, change.Version, Text(change.Payload)), (again.StreamId, again.Version, Text(again.Payload)));
        }

        var resumed = await ChangeFeedTests.ReadAllAsync(reopened, stored);
        Assert.Equal(full.Skip((int)stored.Lsn).Select(c => c.Lsn), resumed.Select(c => c.Lsn));

        // What the reader got in total (before the crash up to its stored position, then the resumed read) holds
        // every acknowledged event of every writer, in version order.
        var delivered = seenBeforeCrash.Where(c => c.Lsn <= stored.Lsn).Concat(resumed).ToList();
        for (int w = 0; w < Writers; w++)
        {
            var events = delivered.Where(c => c.StreamId == $"w{w}").OrderBy(c => c.Version).Select(c => Text(c.Payload)).ToList();
            Assert.True(events.Count >= acked[w].Count, $"seed {seed}: writer {w} had {acked[w].Count} acknowledged events, the reader got {events.Count}");
            Assert.Equal(acked[w], events.Take(acked[w].Count));
        }
    }
}
