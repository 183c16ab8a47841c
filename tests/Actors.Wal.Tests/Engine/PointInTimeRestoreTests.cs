using Actors.Wal.Tests.Conformance;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// LogBackup.RestoreToPointAsync: the restored log holds exactly the records up to an LSN or a time (a straddling batch
/// left out whole) and takes appends; a point below what space management reclaimed is refused, naming the segments.
/// </summary>
public sealed class PointInTimeRestoreTests : FileScanTestBase
{
    [Fact]
    public async Task RestoreToPointAsync_ToAnLsnAcrossSegments_HoldsExactlyTheRecordsUpToItAndTakesAppends()
    {
        using var backup = new TempDirectory();
        using var restore = new TempDirectory();
        long point;
        await using (var log = await OpenAsync())
        {
            await WriteRoundsAsync(log, 0, 30);
            point = log.WrittenLsn;
            await WriteRoundsAsync(log, 30, 30);
            Assert.True(log.GetStatistics().SegmentCount > 2, "precondition: the history spans several segments");
            LogBackup.Backup(Dir.Path, backup.Path);
        }

        var restored = await LogBackup.RestoreToPointAsync(backup.Path, restore.Path, RestorePoint.ToLsn(point));

        Assert.Equal(point, restored.LastLsn);
        await using var check = await WriteAheadLog.OpenAsync(Options(o => o.Directory = restore.Path));
        await AssertRoundsAsync(check, 30);
        var appended = await check.AppendAsync("s0", 30, Events("after-restore"));
        Assert.Equal((31L, point + 1), (appended.FirstVersion, appended.LastLsn));
    }

    [Fact]
    public async Task RestoreToPointAsync_ToATime_HoldsTheRecordsAppendedAtOrBeforeIt()
    {
        using var backup = new TempDirectory();
        using var restore = new TempDirectory();
        var clock = new ConformanceTimeProvider();
        DateTimeOffset point;
        await using (var log = await OpenAsync(time: clock))
        {
            await WriteRoundsAsync(log, 0, 12);
            point = clock.GetUtcNow();
            clock.Advance(TimeSpan.FromMinutes(1));
            await WriteRoundsAsync(log, 12, 12);
            LogBackup.Backup(Dir.Path, backup.Path);
        }

        await LogBackup.RestoreToPointAsync(backup.Path, restore.Path, RestorePoint.ToTime(point));

        await using var check = await WriteAheadLog.OpenAsync(Options(o => o.Directory = restore.Path));
        await AssertRoundsAsync(check, 12);
    }

    [Fact]
    public async Task RestoreToPointAsync_InsideABatch_LeavesTheWholeBatchOut()
    {
        using var backup = new TempDirectory();
        using var restore = new TempDirectory();
        long before;
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 0, Events("1"));
            before = log.WrittenLsn;
            await log.AppendAsync("s", 1, Events("2", "3", "4"));
            LogBackup.Backup(Dir.Path, backup.Path);
        }

        var restored = await LogBackup.RestoreToPointAsync(backup.Path, restore.Path, RestorePoint.ToLsn(before + 1));

        Assert.Equal(before, restored.LastLsn);
        await using var check = await WriteAheadLog.OpenAsync(Options(o => o.Directory = restore.Path));
        Assert.Equal(["1"], (await check.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task RestoreToPointAsync_BelowWhatCompactionReclaimed_IsRefusedNamingTheSegmentsAndWritesNothing()
    {
        using var backup = new TempDirectory();
        using var restore = new TempDirectory();
        long point;
        await using (var log = await OpenAsync())
        {
            int filler = await RotateAsync(log, 0);
            point = log.WrittenLsn;
            for (int i = 0; i < filler; i++)
            {
                await log.DeleteStreamAsync($"f{i}", 1); // the first segment dies and is deleted
            }

            await SealActiveSegmentAndCompactAsync(log, filler);
            Assert.True(log.GetStatistics().SegmentsDeleted > 0, "precondition: space management deleted a segment");
            LogBackup.Backup(Dir.Path, backup.Path);
        }

        var refused = await Assert.ThrowsAsync<LogBackupException>(() => LogBackup.RestoreToPointAsync(backup.Path, restore.Path, RestorePoint.ToLsn(point)));

        Assert.Contains("below what was reclaimed", refused.Message, StringComparison.Ordinal);
        Assert.Contains("0000000001.wal", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(restore.Path));
        var whole = await LogBackup.RestoreAsync(backup.Path, restore.Path);
        Assert.True(whole.LastLsn > point);
    }

    /// <summary>Appends round r = from..from+count-1: event r+1 of each of four streams s0..s3, about 1.5 KB each.</summary>
    private static async Task WriteRoundsAsync(WriteAheadLog log, int from, int count)
    {
        for (int round = from; round < from + count; round++)
        {
            for (int s = 0; s < 4; s++)
            {
                await log.AppendAsync($"s{s}", round, Events($"s{s}-{round + 1}-" + new string('x', 1500)));
            }
        }
    }

    private static async Task AssertRoundsAsync(WriteAheadLog log, int rounds)
    {
        for (int s = 0; s < 4; s++)
        {
            var read = await log.ReadStreamAsync($"s{s}");
            Assert.Equal(rounds, read.Version);
            Assert.Equal(Enumerable.Range(1, rounds).Select(v => $"s{s}-{v}-"), read.Events.Select(e => Text(e.Payload)[..$"s{s}-{e.Version}-".Length]));
        }
    }
}
