namespace Actors.Wal.Tests.Conformance;

/// <summary>Atomic batches under concurrency: one stream with many writers, many streams at once.</summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task AppendAsync_ConcurrentBatchesOnOneStream_NeverInterleave()
    {
        const int Writers = 16;
        const int BatchesPerWriter = 8;
        const int EventsPerBatch = 3;
        var log = await NewLogAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            var results = new List<(string[] Payloads, AppendResult Result)>();
            for (int b = 0; b < BatchesPerWriter; b++)
            {
                string[] payloads = Enumerable.Range(0, EventsPerBatch).Select(e => $"w{w}-b{b}-e{e}").ToArray();
                results.Add((payloads, await log.AppendAsync("shared", ExpectedVersion.Any, Batch(payloads))));
            }

            return results;
        })).ToArray();

        start.SetResult();
        var all = (await WithTimeout(Task.WhenAll(writers), $"{Writers} writers appending {BatchesPerWriter} batches each")).ToArray();

        var events = await log.ReadEventsAsync("shared", 1, long.MaxValue);
        Assert.Equal(Writers * BatchesPerWriter * EventsPerBatch, events.Count);
        Assert.Equal(events.Count, log.GetStreamInfo("shared").Version);
        foreach (var (payloads, result) in all.SelectMany(r => r))
        {
            Assert.Equal(EventsPerBatch, result.LastVersion - result.FirstVersion + 1);
            string[] stored = events.Skip((int)result.FirstVersion - 1).Take(EventsPerBatch).Select(e => Text(e.Payload)).ToArray();
            Assert.Equal(payloads, stored);
            Assert.Equal(events[(int)result.LastVersion - 1].Lsn, result.LastLsn);
        }

        var ranges = all.SelectMany(r => r).Select(r => r.Result).OrderBy(r => r.FirstVersion).ToArray();
        for (int i = 0; i < ranges.Length; i++)
        {
            Assert.Equal((i * EventsPerBatch) + 1, ranges[i].FirstVersion);
        }

        foreach (var writer in all)
        {
            Assert.True(
                writer.Select(r => r.Result.FirstVersion).SequenceEqual(writer.Select(r => r.Result.FirstVersion).Order()),
                "one writer's sequential batches must be stored in the order it appended them");
        }

        AssertEvents(events, 1, events.Select(e => Text(e.Payload)).ToArray());
    }

    [Fact]
    public async Task AppendAsync_RacingWritersExpectingSameVersion_ExactlyOneWins()
    {
        const int Writers = 8;
        var log = await NewLogAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await log.AppendAsync("race", ExpectedVersion.NoStream, Batch($"w{w}-1", $"w{w}-2"));
                return (Writer: w, Conflict: (StreamVersionConflictException?)null);
            }
            catch (StreamVersionConflictException ex)
            {
                return (Writer: w, Conflict: ex);
            }
        })).ToArray();

        start.SetResult();
        var outcomes = await WithTimeout(Task.WhenAll(attempts), $"{Writers} racing appends expecting version 0");

        var winners = outcomes.Where(o => o.Conflict is null).ToArray();
        Assert.Single(winners);
        Assert.All(outcomes.Where(o => o.Conflict is not null), o => Assert.Equal(2, o.Conflict!.ActualVersion));
        int winner = winners[0].Writer;
        AssertRead(await log.ReadStreamAsync("race"), null, null, 1, [$"w{winner}-1", $"w{winner}-2"], 2);
    }

    [Fact]
    public async Task AppendAsync_OptimisticRetryLoops_EveryBatchLandsOnceAndWhole()
    {
        const int Writers = 6;
        const int BatchesPerWriter = 5;
        const int MaxAttempts = 10_000;
        var log = await NewLogAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (int b = 0; b < BatchesPerWriter; b++)
            {
                for (int attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < MaxAttempts, $"writer {w} batch {b} still conflicting after {MaxAttempts} attempts");
                    long version = log.GetStreamInfo("opt").Version;
                    try
                    {
                        await log.AppendAsync("opt", version, Batch($"w{w}-b{b}-x", $"w{w}-b{b}-y"));
                        break;
                    }
                    catch (StreamVersionConflictException ex)
                    {
                        Assert.True(ex.ActualVersion > version, $"a conflict must report a newer version than the expected {version}; it reported {ex.ActualVersion}");
                    }
                }
            }
        })).ToArray();

        start.SetResult();
        await WithTimeout(Task.WhenAll(writers), $"{Writers} writers with optimistic retry loops");

        var events = await log.ReadEventsAsync("opt", 1, long.MaxValue);
        Assert.Equal(Writers * BatchesPerWriter * 2, events.Count);
        var texts = events.Select(e => Text(e.Payload)).ToArray();
        for (int i = 0; i < texts.Length; i += 2)
        {
            Assert.EndsWith("-x", texts[i], StringComparison.Ordinal);
            Assert.Equal(texts[i][..^2] + "-y", texts[i + 1]);
        }

        Assert.Equal(texts.Length, texts.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task AppendAsync_ManyStreamsConcurrently_EveryStreamCompleteAndReadersSeeWholeBatches()
    {
        const int Streams = 40;
        const int BatchesPerStream = 6;
        const int EventSize = 400;
        var log = await NewLogAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var writersDone = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Streams).Select(s => Task.Run(async () =>
        {
            await start.Task;
            for (int b = 0; b < BatchesPerStream; b++)
            {
                await log.AppendAsync($"stream-{s}", b * 2, [Filled($"s{s}-v{(b * 2) + 1}", EventSize), Filled($"s{s}-v{(b * 2) + 2}", EventSize)]);
            }
        })).ToArray();
        var reader = Task.Run(async () =>
        {
            await start.Task;
            int reads = 0;
            while (!writersDone.IsCancellationRequested || reads == 0)
            {
                var read = await log.ReadStreamAsync($"stream-{reads % Streams}");
                Assert.True(read.Version % 2 == 0, $"a reader saw stream-{reads % Streams} at version {read.Version}, inside a two-event batch");
                Assert.Equal(read.Version, read.Events.Count);
                reads++;
            }
        });

        start.SetResult();
        await WithTimeout(Task.WhenAll(writers), $"{Streams} concurrent stream writers");
        await writersDone.CancelAsync();
        await WithTimeout(reader, "the concurrent reader to finish");

        for (int s = 0; s < Streams; s++)
        {
            var read = await log.ReadStreamAsync($"stream-{s}");
            Assert.Equal(BatchesPerStream * 2, read.Version);
            for (int v = 1; v <= read.Version; v++)
            {
                Assert.Equal(v, read.Events[v - 1].Version);
                Assert.Equal(Filled($"s{s}-v{v}", EventSize), read.Events[v - 1].Payload.ToArray());
            }
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="WaitTimeout"/>; the failure names what it waited for.</summary>
    protected static async Task<T> WithTimeout<T>(Task<T> task, string waitingFor)
    {
        try
        {
            return await task.WaitAsync(WaitTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {WaitTimeout.TotalSeconds} s waiting for {waitingFor}.", ex);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="WaitTimeout"/>; the failure names what it waited for.</summary>
    protected static async Task WithTimeout(Task task, string waitingFor)
    {
        try
        {
            await task.WaitAsync(WaitTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {WaitTimeout.TotalSeconds} s waiting for {waitingFor}.", ex);
        }
    }
}
