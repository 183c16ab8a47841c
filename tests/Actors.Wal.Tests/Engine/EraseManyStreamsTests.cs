using System.Text;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The shape of the lifecycle benchmark: many streams written round by round (each segment holds a record of nearly
/// every stream), a tenth of them erased to their latest version without a checkpoint, then compaction, without any
/// append after the erases to seal the active segment. The erased payloads must be in no file once
/// <see cref="WriteAheadLog.CompactAsync"/> returned.
/// </summary>
public sealed class EraseManyStreamsTests : FileScanTestBase
{
    private const int Streams = 100;
    private const int EventBytes = 500;
    private const string Secret = "ERASED-PAYLOAD-";

    /// <param name="policy">The sync policy.</param>
    /// <param name="retainHistory">A log that keeps checkpointed events (a KeepAll store).</param>
    /// <param name="smallRounds">MaxBatchBytes at its minimum: a compaction round takes one segment, so the one
    /// CompactAsync needs several rounds.</param>
    [Theory]
    [InlineData(SyncPolicy.None, false, false)]
    [InlineData(SyncPolicy.Always, false, false)]
    [InlineData(SyncPolicy.None, true, false)]
    [InlineData(SyncPolicy.None, false, true)]
    public async Task DeleteEventsToAsync_ManyStreamsToTheirLatestVersion_ErasedBytesInNoFileAfterOneCompaction(SyncPolicy policy, bool retainHistory, bool smallRounds)
    {
        void Configure(WriteAheadLogOptions o)
        {
            o.SyncPolicy = policy;
            o.RetainCheckpointedEvents = retainHistory;
            if (smallRounds)
            {
                o.MaxBatchBytes = 4096;
            }
        }

        int rounds;
        await using (var log = await OpenAsync(Configure))
        {
            rounds = await WriteRoundsAsync(log, sealedSegments: 3);
            Assert.True(FilesContainMarker(Secret), "precondition: the payloads are on disk");

            for (int i = 0; i < Streams; i += 10)
            {
                string stream = $"s/{i}";
                var result = await log.DeleteEventsToAsync(stream, log.GetStreamInfo(stream).Version);
                Assert.Equal(rounds, result.EventsErased);
            }

            var compaction = await log.CompactAsync();

            var holding = FilesWithMarker(Secret);
            Assert.True(holding.Count == 0, $"erased payloads are still in {string.Join(", ", holding)} after {compaction}");
            await AssertStreamsAsync(log, rounds);
        }

        await using var reopened = await OpenAsync(Configure);
        await AssertStreamsAsync(reopened, rounds);
        Assert.Empty(FilesWithMarker(Secret));
    }

    /// <summary>
    /// Version-count trimming (<see cref="WriteAheadLogOptions.RetainLastVersions"/>) in the same shape: every stream
    /// checkpoints at its version after the rounds, all segments but the active one are older than the trim age, and one
    /// CompactAsync with small rounds (MaxBatchBytes at its minimum) must trim every one of them.
    /// </summary>
    [Fact]
    public async Task CompactAsync_RetainLastVersionsOverManyStreamsAndSegments_TrimsEveryAgedSegmentInOneCall()
    {
        var clock = new Conformance.ConformanceTimeProvider();
        void Configure(WriteAheadLogOptions o)
        {
            o.RetainCheckpointedEvents = true;
            o.RetainLastVersions = 1;
            o.HistoryTrimAge = TimeSpan.FromHours(1);
            o.RecycleSegments = false;
            o.MaxBatchBytes = 4096;
        }

        await using var log = await OpenAsync(Configure, time: clock);
        int rounds = await WriteRoundsAsync(log, sealedSegments: 3);
        for (int i = 0; i < Streams; i++)
        {
            await log.WriteCheckpointAsync($"s/{i}", rounds, Bytes($"state-{i}"));
        }

        await log.FlushAsync();
        await log.WhenMaintenanceIdleAsync();
        clock.Advance(TimeSpan.FromHours(2));
        await log.CompactAsync();

        // Every round but the last two lay in sealed segments only (the last one is in the active segment): trimmed, the
        // newest version of each stream is kept.
        for (int round = 1; round <= rounds - 2; round++)
        {
            for (int i = 0; i < Streams; i += 10)
            {
                var holding = FilesWithMarker($"{Secret}{i}.{round} ");
                Assert.True(holding.Count == 0, $"round {round} of s/{i} is still in {string.Join(", ", holding)}");
            }
        }

        Assert.Equal(Encoding.UTF8.GetString(Payload(10, rounds)), Text((await log.ReadEventsAsync("s/10", rounds, rounds))[0].Payload));
    }

    /// <summary>Appends one event to every stream per round until <paramref name="sealedSegments"/> segments are sealed and the active one holds some rounds' records too.</summary>
    private static async Task<int> WriteRoundsAsync(WriteAheadLog log, int sealedSegments)
    {
        int rounds = 0;
        int target = sealedSegments + 1;
        bool activeHasRecords = false;
        while (!activeHasRecords)
        {
            int before = log.GetStatistics().SegmentCount;
            rounds++;
            for (int i = 0; i < Streams; i++)
            {
                await log.AppendAsync($"s/{i}", rounds - 1, [Payload(i, rounds)]);
            }

            activeHasRecords = before >= target && log.GetStatistics().SegmentCount == before;
        }

        return rounds;
    }

    private static byte[] Payload(int stream, int round)
    {
        var text = new StringBuilder();
        string unit = stream % 10 == 0 ? Secret : "kept-payload-";
        while (text.Length < EventBytes)
        {
            text.Append(unit).Append(stream).Append('.').Append(round).Append(' ');
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, EventBytes));
    }

    private static async Task AssertStreamsAsync(IEventLog log, int rounds)
    {
        for (int i = 0; i < Streams; i++)
        {
            var read = await log.ReadStreamAsync($"s/{i}");
            Assert.Equal(rounds, read.Version);
            if (i % 10 == 0)
            {
                Assert.Empty(read.Events);
            }
            else
            {
                Assert.Equal(Enumerable.Range(1, rounds).Select(r => Encoding.UTF8.GetString(Payload(i, r))), read.Events.Select(e => Text(e.Payload)));
            }
        }
    }
}
