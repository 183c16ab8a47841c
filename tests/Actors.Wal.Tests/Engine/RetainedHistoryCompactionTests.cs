using Actors.Wal.Tests.Conformance;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// A log that retains history (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>, a <c>KeepAll</c> grain store)
/// compacts too: a copy carries the stream's whole stored history, so sparse segments and segments holding erased events
/// go, and erased bytes are in no file afterwards (verified by scanning every file).
/// </summary>
public sealed class RetainedHistoryCompactionTests : FileScanTestBase
{
    [Fact]
    public async Task DeleteEventsToAsync_RetainedHistory_ErasedBytesInNoFileAfterCompactionAndTheRestOfTheHistoryKept()
    {
        int filler = 0;
        await using (var log = await OpenAsync(o => o.RetainCheckpointedEvents = true))
        {
            for (int v = 1; v <= 5; v++)
            {
                await log.AppendAsync("pii", v - 1, Events($"SECRET-{v}"));
                filler = await FillAsync(log, filler, 3);
            }

            await log.WriteCheckpointAsync("pii", 5, Bytes("state-5"));
            filler = await RotateAsync(log, filler);
            await log.AppendAsync("pii", 5, Events("kept-6"));

            await log.WhenMaintenanceIdleAsync(); // no copy of the history made by a pass still running is left behind
            var erased = await log.DeleteEventsToAsync("pii", 3);

            Assert.Equal(3, erased.EventsErased);
            await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("pii", 1, 6));
            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            for (int v = 1; v <= 3; v++)
            {
                AssertInNoFile($"SECRET-{v}");
            }

            Assert.True(FilesContainMarker("SECRET-4"), "the retained events after the erased version are kept");
        }

        await using var reopened = await OpenAsync(o => o.RetainCheckpointedEvents = true);
        Assert.Equal(["SECRET-4", "SECRET-5", "kept-6"], (await reopened.ReadEventsAsync("pii", 4, 6)).Select(e => Text(e.Payload)));
        var read = await reopened.ReadStreamAsync("pii");
        Assert.Equal(("state-5", 6L), (Text(read.Checkpoint!.State), read.Version));
        Assert.Equal(["kept-6"], read.Events.Select(e => Text(e.Payload)));
        await AssertFillersSurviveAsync(reopened, filler);
    }

    [Fact]
    public async Task CompactAsync_RetainedHistoryInSparseSegments_CopiesTheWholeHistoryForwardAndFreesTheSegments()
    {
        int filler = 0;
        await using (var log = await OpenAsync(o => o.RetainCheckpointedEvents = true))
        {
            for (int v = 1; v <= 8; v++)
            {
                await log.AppendAsync("s", v - 1, Events($"e{v}"));
                if (v == 6)
                {
                    await log.WriteCheckpointAsync("s", 6, Bytes("state-6"));
                }

                filler = await RotateAsync(log, filler);
            }

            // Every filler goes: the segments only hold the retained history of "s", far below the live ratio.
            for (int i = 0; i < filler; i++)
            {
                await log.DeleteStreamAsync($"f{i}", 1);
            }

            int before = log.GetStatistics().SegmentCount;
            await SealActiveSegmentAndCompactAsync(log, filler);

            Assert.True(log.GetStatistics().SegmentCount < before, $"no segment was freed ({before} before, {log.GetStatistics().SegmentCount} after)");
            Assert.True(log.GetStatistics().SegmentsCompacted > 0, "nothing was compacted");
        }

        File.Delete(Dir.File(Recovery.RecoverySnapshot.FileName)); // recovery replays the copy with the writer's rule
        await using var reopened = await OpenAsync(o => o.RetainCheckpointedEvents = true);
        Assert.Equal(Enumerable.Range(1, 8).Select(v => $"e{v}"), (await reopened.ReadEventsAsync("s", 1, 8)).Select(e => Text(e.Payload)));
        var read = await reopened.ReadStreamAsync("s");
        Assert.Equal(("state-6", 8L), (Text(read.Checkpoint!.State), read.Version));
        Assert.Equal(["e7", "e8"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(new StreamInfo(8, 6, false), reopened.GetStreamInfo("s"));
        var asOf4 = await reopened.ReadStreamAsync("s", ReadBound.AtVersion(4));
        Assert.Null(asOf4.Checkpoint);
        Assert.Equal(["e1", "e2", "e3", "e4"], asOf4.Events.Select(e => Text(e.Payload)));
        await reopened.AppendAsync("s", 8, Events("e9"));
        Assert.Equal(9, (await reopened.ReadEventsAsync("s", 1, 9)).Count);
    }

    [Fact]
    public async Task CompactAsync_RetainHistoryFor_CoveredEventsOlderThanTheDurationLeaveTheLiveSegmentsAndTheRestIsKept()
    {
        var clock = new ConformanceTimeProvider();
        void Configure(WriteAheadLogOptions o)
        {
            o.RetainCheckpointedEvents = true;
            o.RetainHistoryFor = TimeSpan.FromHours(1);
        }

        int filler = 0;
        await using (var log = await OpenAsync(Configure, time: clock))
        {
            for (int v = 1; v <= 3; v++)
            {
                await log.AppendAsync("s", v - 1, Events($"OLD-{v}"));
                await log.AppendAsync("nocp", v - 1, Events($"KEPT-{v}")); // no checkpoint: every event stays needed
            }

            await log.WriteCheckpointAsync("s", 3, Bytes("state-3"));
            filler = await RotateAsync(log, filler);
            clock.Advance(TimeSpan.FromHours(2));
            await log.AppendAsync("s", 3, Events("NEW-4"));
            await log.WriteCheckpointAsync("s", 4, Bytes("state-4")); // covers a young event: it stays
            await log.AppendAsync("s", 4, Events("NEW-5"));

            filler = await SealActiveSegmentAndCompactAsync(log, filler);

            // Trimming frees space (it is not an erase): a compacted segment may be kept for reuse, and a reused file
            // becomes the next spare without zeroing (its old records fail the new segment's record salt), so both kinds
            // of files kept for reuse may still hold the trimmed bytes; the live segments must not.
            for (int v = 1; v <= 3; v++)
            {
                var holding = FilesWithMarker($"OLD-{v}").Where(f => !IsKeptForReuse(f)).ToList();
                Assert.True(holding.Count == 0, $"OLD-{v} is still in the live files {string.Join(", ", holding)}");
            }

            var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("s", 1, 5));
            Assert.Equal(4, reclaimed.OldestAvailableVersion);
        }

        await using var reopened = await OpenAsync(Configure, time: clock);
        Assert.Equal(["NEW-4", "NEW-5"], (await reopened.ReadEventsAsync("s", 4, 5)).Select(e => Text(e.Payload)));
        var read = await reopened.ReadStreamAsync("s");
        Assert.Equal(("state-4", 5L), (Text(read.Checkpoint!.State), read.Version));
        Assert.Equal(["NEW-5"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(["KEPT-1", "KEPT-2", "KEPT-3"], (await reopened.ReadEventsAsync("nocp", 1, 3)).Select(e => Text(e.Payload)));
        await AssertFillersSurviveAsync(reopened, filler);
    }

    [Fact]
    public void Validate_RetainHistoryForWithoutRetainedHistory_FailsNamingTheSetting()
    {
        var failures = new WriteAheadLogOptionsValidator().Validate(null, new WriteAheadLogOptions { Directory = Dir.Path, RetainHistoryFor = TimeSpan.FromHours(1) });

        Assert.True(failures.Failed);
        Assert.Contains(nameof(WriteAheadLogOptions.RetainHistoryFor), failures.FailureMessage, StringComparison.Ordinal);
    }

    private static bool IsKeptForReuse(string path) =>
        path.EndsWith(Segments.SegmentManager.RecycledSuffix, StringComparison.Ordinal)
        || path.EndsWith(Segments.SegmentManager.SpareSuffix, StringComparison.Ordinal);
}
