using Actors.Wal.Tests.Conformance;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Version-count and per-stream history retention (<see cref="WriteAheadLogOptions.RetainLastVersions"/>,
/// <see cref="WriteAheadLogOptions.StreamRetention"/>): once the segments are older than
/// <see cref="WriteAheadLogOptions.HistoryTrimAge"/>, compaction keeps exactly what each stream's policy keeps. Verified
/// by reads before and after a reopen and by scanning every file of the log directory.
/// </summary>
public sealed class HistoryRetentionTests : FileScanTestBase
{
    private static readonly TimeSpan TrimAge = TimeSpan.FromHours(1);

    [Fact]
    public async Task CompactAsync_RetainLastVersions_KeepsExactlyTheNewestVersionsAndEveryEventAfterTheCheckpoint()
    {
        var clock = new ConformanceTimeProvider();
        void Configure(WriteAheadLogOptions o)
        {
            o.RetainCheckpointedEvents = true;
            o.RetainLastVersions = 3;
            o.HistoryTrimAge = TrimAge;
            o.RecycleSegments = false; // trimmed bytes must leave every file, not wait in a file kept for reuse
        }

        int filler = 0;
        await using (var log = await OpenAsync(Configure, time: clock))
        {
            // "s": 8 events, checkpoint at 6: the newest 3 versions are 6..8, so 1..5 go.
            // "t": 6 events, checkpoint at 2: 1..2 are covered and older than the newest 3, 3..6 follow the checkpoint and stay.
            // "young": 2 events, checkpoint at 2: both are among the newest 3. "nocp": no checkpoint, nothing is covered.
            for (int v = 1; v <= 8; v++)
            {
                await log.AppendAsync("s", v - 1, Events($"S-{v}"));
                if (v <= 6)
                {
                    await log.AppendAsync("t", v - 1, Events($"T-{v}"));
                }

                if (v <= 2)
                {
                    await log.AppendAsync("young", v - 1, Events($"Y-{v}"));
                }

                if (v <= 5)
                {
                    await log.AppendAsync("nocp", v - 1, Events($"N-{v}"));
                }

                filler = await FillAsync(log, filler, 2);
            }

            await log.WriteCheckpointAsync("s", 6, Bytes("state-s-6"));
            await log.WriteCheckpointAsync("t", 2, Bytes("state-t-2"));
            await log.WriteCheckpointAsync("young", 2, Bytes("state-y-2"));
            filler = await RotateAsync(log, filler);

            clock.Advance(TrimAge * 2);
            filler = await SealActiveSegmentAndCompactAsync(log, filler);

            foreach (string gone in new[] { "S-1", "S-2", "S-3", "S-4", "S-5", "T-1", "T-2" })
            {
                AssertInNoFile(gone);
            }

            await AssertKeptAsync(log);
        }

        File.Delete(Dir.File(Recovery.RecoverySnapshot.FileName)); // recovery replays the copies with the writer's rule
        await using var reopened = await OpenAsync(Configure, time: clock);
        await AssertKeptAsync(reopened);
        await reopened.AppendAsync("s", 8, Events("S-9"));
        Assert.Equal(["S-6", "S-7", "S-8", "S-9"], (await reopened.ReadEventsAsync("s", 6, 9)).Select(e => Text(e.Payload)));
        await AssertFillersSurviveAsync(reopened, filler);

        static async Task AssertKeptAsync(WriteAheadLog log)
        {
            var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("s", 1, 8));
            Assert.Equal(6, reclaimed.OldestAvailableVersion);
            Assert.Equal(["S-6", "S-7", "S-8"], (await log.ReadEventsAsync("s", 6, 8)).Select(e => Text(e.Payload)));
            var s = await log.ReadStreamAsync("s");
            Assert.Equal(("state-s-6", 8L), (Text(s.Checkpoint!.State), s.Version));
            Assert.Equal(["S-7", "S-8"], s.Events.Select(e => Text(e.Payload)));

            Assert.Equal(3, (await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("t", 1, 6))).OldestAvailableVersion);
            Assert.Equal(["T-3", "T-4", "T-5", "T-6"], (await log.ReadEventsAsync("t", 3, 6)).Select(e => Text(e.Payload)));
            Assert.Equal(["Y-1", "Y-2"], (await log.ReadEventsAsync("young", 1, 2)).Select(e => Text(e.Payload)));
            Assert.Equal(["N-1", "N-2", "N-3", "N-4", "N-5"], (await log.ReadEventsAsync("nocp", 1, 5)).Select(e => Text(e.Payload)));
        }
    }

    [Fact]
    public async Task CompactAsync_StreamRetention_EachStreamsPolicyOverridesTheLogs()
    {
        var clock = new ConformanceTimeProvider();
        void Configure(WriteAheadLogOptions o)
        {
            o.RetainCheckpointedEvents = true; // the log's own policy: keep all
            o.HistoryTrimAge = TrimAge;
            o.RecycleSegments = false;
            o.StreamRetention = id => id.Split('/')[0] switch
            {
                "last2" => HistoryRetention.KeepLastVersions(2),
                "reclaim" => HistoryRetention.ReclaimAfterCheckpoint,
                "recent" => HistoryRetention.KeepFor(TimeSpan.FromMinutes(30)),
                _ => null,
            };
        }

        int filler = 0;
        string[] streams = ["last2/1", "reclaim/1", "recent/1", "all/1"];
        await using (var log = await OpenAsync(Configure, time: clock))
        {
            foreach (string stream in streams)
            {
                for (int v = 1; v <= 5; v++)
                {
                    await log.AppendAsync(stream, v - 1, Events($"{stream}#{v}"));
                    filler = await FillAsync(log, filler, 1);
                }

                await log.WriteCheckpointAsync(stream, 5, Bytes($"state-{stream}"));
            }

            filler = await RotateAsync(log, filler);
            clock.Advance(TrimAge * 2);
            filler = await SealActiveSegmentAndCompactAsync(log, filler);

            await AssertPoliciesAsync(log);
        }

        await using var reopened = await OpenAsync(Configure, time: clock);
        await AssertPoliciesAsync(reopened);
        await AssertFillersSurviveAsync(reopened, filler);

        async Task AssertPoliciesAsync(WriteAheadLog log)
        {
            // Oldest version still stored per stream: KeepLastVersions(2) -> 4; ReclaimAfterCheckpoint and KeepFor(30 min)
            // (every event is two hours old) -> nothing but the checkpoint; the log's KeepAll -> 1.
            foreach (var (stream, oldest) in new[] { ("last2/1", 4), ("reclaim/1", 6), ("recent/1", 6), ("all/1", 1) })
            {
                for (int v = 1; v <= 5; v++)
                {
                    Assert.True(v >= oldest == FilesContainMarker($"{stream}#{v}"), $"{stream} event {v}: stored {FilesContainMarker($"{stream}#{v}")}, policy keeps from {oldest}");
                }

                if (oldest > 1)
                {
                    var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync(stream, 1, 5));
                    Assert.Equal(oldest, reclaimed.OldestAvailableVersion);
                }

                if (oldest <= 5)
                {
                    Assert.Equal(Enumerable.Range(oldest, 6 - oldest).Select(v => $"{stream}#{v}"), (await log.ReadEventsAsync(stream, oldest, 5)).Select(e => Text(e.Payload)));
                }

                var read = await log.ReadStreamAsync(stream);
                Assert.Equal(($"state-{stream}", 5L), (Text(read.Checkpoint!.State), read.Version));
            }
        }
    }

    [Theory]
    [InlineData(0, true, null)]
    [InlineData(3, false, null)]
    [InlineData(3, true, 1)]
    public void Validate_RetainLastVersionsOutOfRangeOrWithoutRetainedHistoryOrWithADuration_FailsNamingTheSetting(int versions, bool retain, int? hours)
    {
        var options = new WriteAheadLogOptions
        {
            Directory = Dir.Path,
            RetainCheckpointedEvents = retain,
            RetainLastVersions = versions,
            RetainHistoryFor = hours is { } h ? TimeSpan.FromHours(h) : null,
        };

        var result = new WriteAheadLogOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(nameof(WriteAheadLogOptions.RetainLastVersions), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StreamRetentionInALogThatReclaimsOrAZeroTrimAge_FailsNamingTheSetting()
    {
        var reclaiming = new WriteAheadLogOptions { Directory = Dir.Path, StreamRetention = _ => HistoryRetention.KeepAll };
        var zeroAge = new WriteAheadLogOptions { Directory = Dir.Path, RetainCheckpointedEvents = true, RetainLastVersions = 2, HistoryTrimAge = TimeSpan.Zero };

        Assert.Contains(nameof(WriteAheadLogOptions.StreamRetention), new WriteAheadLogOptionsValidator().Validate(null, reclaiming).FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(WriteAheadLogOptions.HistoryTrimAge), new WriteAheadLogOptionsValidator().Validate(null, zeroAge).FailureMessage, StringComparison.Ordinal);
    }
}
