using System.Text;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Coalescing of the background erase pass (<see cref="WriteAheadLogOptions.EraseCompactionQuietPeriod"/>,
/// <see cref="WriteAheadLogOptions.EraseCompactionMaxDelay"/>): a burst of erases is removed from the files by one pass,
/// the bound forces a pass under a continuous stream of erases, <see cref="WriteAheadLog.CompactAsync"/> still removes
/// everything at once, and a restart runs the pass the close left pending. Time is a manual clock (its timers fire only
/// when the test advances it); passes are counted by <see cref="LogStatistics.ErasePasses"/>; every file is scanned.
/// </summary>
public sealed class EraseCoalescingTests : FileScanTestBase
{
    private const int Streams = 40;
    private const int EventBytes = 1000;
    private const string Secret = "ERASED-PAYLOAD-";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task DeleteEventsToAsync_BurstOfErases_OneErasePassAfterTheQuietPeriodRemovesEveryErasedByte()
    {
        await using var log = await OpenAsync(Configure, time: _time);
        int rounds = await WriteRoundsAsync(log);
        long before = log.GetStatistics().ErasePasses;

        foreach (int i in ErasedStreams())
        {
            await EraseAsync(log, i);
        }

        await log.WhenMaintenanceIdleAsync();
        Assert.Equal(before, log.GetStatistics().ErasePasses); // no pass while the quiet period runs
        Assert.True(FilesContainMarker(Secret), "precondition: the erased payloads are still on disk before the quiet period ends");

        _time.Advance(Quiet);
        await log.WhenMaintenanceIdleAsync();

        Assert.Equal(before + 1, log.GetStatistics().ErasePasses);
        AssertInNoFile(Secret);
        await AssertStreamsAsync(log, rounds, ErasedStreams());
    }

    [Fact]
    public async Task DeleteEventsToAsync_ErasesCloserThanTheQuietPeriod_BoundForcesOnePass()
    {
        await using var log = await OpenAsync(Configure, time: _time);
        int rounds = await WriteRoundsAsync(log);
        long before = log.GetStatistics().ErasePasses;
        var step = TimeSpan.FromMilliseconds(600); // shorter than the quiet period: only the bound can start the pass
        var erased = new List<int>();
        TimeSpan elapsed = TimeSpan.Zero;
        foreach (int i in ErasedStreams())
        {
            await EraseAsync(log, i);
            erased.Add(i);
            _time.Advance(step);
            elapsed += step;
            await log.WhenMaintenanceIdleAsync();
            long passes = log.GetStatistics().ErasePasses - before;
            if (elapsed < Bound)
            {
                Assert.True(passes == 0, $"an erase pass ran {elapsed.TotalSeconds} s after the first erase, before the bound ({Bound.TotalSeconds} s)");
            }
            else
            {
                Assert.True(passes == 1, $"{passes} erase passes at {elapsed.TotalSeconds} s after the first erase, expected the bound's one");
                break;
            }
        }

        Assert.Equal(9, erased.Count); // the erases at 0 .. 4.8 s; the clock reached the bound (5 s) after the ninth
        foreach (int i in erased)
        {
            AssertInNoFile(StreamMarker(i));
        }

        int kept = ErasedStreams()[^1];
        Assert.True(FilesContainMarker(StreamMarker(kept)), "precondition of the scan: a stream not erased keeps its payload");
        await AssertStreamsAsync(log, rounds, erased);
    }

    [Fact]
    public async Task CompactAsync_WhileErasesWaitForTheQuietPeriod_RemovesEverythingAtOnceAndNoPassFollows()
    {
        await using var log = await OpenAsync(Configure, time: _time);
        int rounds = await WriteRoundsAsync(log);
        long before = log.GetStatistics().ErasePasses;
        foreach (int i in ErasedStreams())
        {
            await EraseAsync(log, i);
        }

        var compaction = await log.CompactAsync();

        var holding = FilesWithMarker(Secret);
        Assert.True(holding.Count == 0, $"erased payloads are still in {string.Join(", ", holding)} after {compaction}");
        Assert.Equal(before + 1, log.GetStatistics().ErasePasses);

        _time.Advance(Bound + Quiet); // the window CompactAsync closed does not fire
        await log.WhenMaintenanceIdleAsync();
        Assert.Equal(before + 1, log.GetStatistics().ErasePasses);
        await AssertStreamsAsync(log, rounds, ErasedStreams());
    }

    [Fact]
    public async Task OpenAsync_LogClosedWhileErasesWaited_RunsTheErasePassAtOnce()
    {
        int rounds;
        await using (var log = await OpenAsync(Configure, time: _time))
        {
            rounds = await WriteRoundsAsync(log);
            foreach (int i in ErasedStreams())
            {
                await EraseAsync(log, i);
            }
        }

        Assert.True(FilesContainMarker(Secret), "precondition: the close left the erased payloads on disk");
        await using var reopened = await OpenAsync(Configure, time: new FakeTimeProvider(_time.GetUtcNow()));
        await reopened.WhenMaintenanceIdleAsync();

        Assert.Equal(1, reopened.GetStatistics().ErasePasses);
        AssertInNoFile(Secret);
        await AssertStreamsAsync(reopened, rounds, ErasedStreams());
    }

    [Fact]
    public async Task DeleteEventsToAsync_NoQuietPeriod_PassRunsWithoutWaiting()
    {
        await using var log = await OpenAsync(o => o.EraseCompactionQuietPeriod = TimeSpan.Zero, time: _time);
        await WriteRoundsAsync(log);
        long before = log.GetStatistics().ErasePasses;

        await EraseAsync(log, 0);
        await log.WhenMaintenanceIdleAsync();

        // The clock never moved. (The pass's copies may rotate the log, and the pass after that rotation takes the
        // erase's remaining segments: one erase, more than one pass, as before coalescing.)
        long passes = log.GetStatistics().ErasePasses - before;
        Assert.True(passes >= 1, $"{passes} erase passes without a quiet period");
    }

    private static void Configure(WriteAheadLogOptions options)
    {
        options.EraseCompactionQuietPeriod = Quiet;
        options.EraseCompactionMaxDelay = Bound;
    }

    /// <summary>Every fourth stream carries the marker and is erased (ten streams).</summary>
    private static int[] ErasedStreams() => [.. Enumerable.Range(0, Streams).Where(static i => i % 4 == 0)];

    private static string StreamMarker(int stream) => $"{Secret}{stream}.";

    private static async Task EraseAsync(WriteAheadLog log, int stream)
    {
        string id = $"s/{stream}";
        await log.DeleteEventsToAsync(id, log.GetStreamInfo(id).Version);
    }

    /// <summary>One event per stream per round until two segments are sealed and the active one holds records too; then lets the rotations' passes finish.</summary>
    private static async Task<int> WriteRoundsAsync(WriteAheadLog log)
    {
        int rounds = 0;
        bool activeHasRecords = false;
        while (!activeHasRecords)
        {
            int segments = log.GetStatistics().SegmentCount;
            rounds++;
            for (int i = 0; i < Streams; i++)
            {
                await log.AppendAsync($"s/{i}", rounds - 1, [Payload(i, rounds)]);
            }

            activeHasRecords = segments >= 3 && log.GetStatistics().SegmentCount == segments;
        }

        await log.WhenMaintenanceIdleAsync();
        return rounds;
    }

    private static byte[] Payload(int stream, int round)
    {
        var text = new StringBuilder();
        string unit = stream % 4 == 0 ? Secret : "kept-payload-";
        while (text.Length < EventBytes)
        {
            text.Append(unit).Append(stream).Append('.').Append(round).Append(' ');
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, EventBytes));
    }

    /// <summary>Erased streams keep their version and no event; the others read every round.</summary>
    private static async Task AssertStreamsAsync(IEventLog log, int rounds, IReadOnlyCollection<int> erased)
    {
        for (int i = 0; i < Streams; i++)
        {
            var read = await log.ReadStreamAsync($"s/{i}");
            Assert.Equal(rounds, read.Version);
            if (erased.Contains(i))
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
