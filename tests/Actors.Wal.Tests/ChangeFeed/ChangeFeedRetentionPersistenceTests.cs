using Actors.Wal.ChangeFeed;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.ChangeFeed;

/// <summary>Retained change-feed readers survive a reopen and a crash (<c>changefeed.readers</c>); disposed ones do not.</summary>
public sealed class ChangeFeedRetentionPersistenceTests : LogTestBase
{
    [Fact]
    public async Task RetainChanges_LogReopened_ReaderKeepsItsChangesAndGetsItsRegistrationBack()
    {
        ChangeFeedPosition middle;
        await using (var log = await OpenAsync(Reclaiming))
        {
            var retention = log.RetainChanges("projection", ChangeFeedPosition.Beginning);
            await WriteReclaimableHistoryAsync(log);
            middle = (await ChangeFeedTests.ReadAllAsync(log, ChangeFeedPosition.Beginning))[9].Position;
            retention.Advance(middle);
        }

        await using (var log = await OpenAsync(Reclaiming))
        {
            await log.CompactAsync();
            var after = await ChangeFeedTests.ReadAllAsync(log, middle);
            Assert.Equal(Enumerable.Range((int)middle.Lsn + 1, after.Count).Select(i => (long)i), after.Select(c => c.Lsn));
            Assert.True(log.GetStatistics().ChangeFeedRetainedBytes > 0, "the restored reader holds segments");

            var restored = log.RetainChanges("projection", ChangeFeedPosition.Beginning);
            Assert.Equal(middle, restored.Position);
            long deletedBefore = log.GetStatistics().SegmentsDeleted;
            restored.Advance(after[^1].Position);
            await log.CompactAsync();

            // Counted by the log: a background space pass (requested at a rotation) may delete them before CompactAsync does.
            Assert.True(log.GetStatistics().SegmentsDeleted > deletedBefore, "segments the reader passed are deleted");
        }
    }

    [Fact]
    public async Task RetainChanges_LogCrashedAfterRegistration_RegistrationSurvives()
    {
        await using (var log = await OpenAsync(Reclaiming))
        {
            log.RetainChanges("projection", ChangeFeedPosition.Beginning);
            await WriteReclaimableHistoryAsync(log);
            await log.AbandonAsync();
        }

        await using (var log = await OpenAsync(Reclaiming))
        {
            Assert.Equal(0, (await log.CompactAsync()).SegmentsDeleted);
            var all = await ChangeFeedTests.ReadAllAsync(log, ChangeFeedPosition.Beginning);
            Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(c => c.Lsn));
        }
    }

    [Fact]
    public async Task RetainChanges_DisposedBeforeReopen_HoldsNothingAfterIt()
    {
        await using (var log = await OpenAsync(Reclaiming))
        {
            log.RetainChanges("gone", ChangeFeedPosition.Beginning).Dispose();
            log.RetainChanges("kept-until-disposed", ChangeFeedPosition.Beginning).Dispose();
            await WriteReclaimableHistoryAsync(log);
        }

        await using (var log = await OpenAsync(Reclaiming))
        {
            await log.CompactAsync();

            // Counted over the log's life: a background space pass (requested at a rotation) may delete them first.
            Assert.True(log.GetStatistics().SegmentsDeleted > 0, "precondition: the reclaimable history's segments were deleted");
            Assert.Equal(0, log.GetStatistics().ChangeFeedRetainedBytes);
        }
    }

    [Fact]
    public async Task RetainChanges_ReaderDroppedByTheBound_IsNotRestored()
    {
        await using (var log = await OpenAsync(o =>
        {
            Reclaiming(o);
            o.MaxChangeFeedRetainedBytes = 64 * 1024;
        }))
        {
            var retention = log.RetainChanges("dead-reader", ChangeFeedPosition.Beginning);
            await WriteReclaimableHistoryAsync(log);
            await log.CompactAsync();
            Assert.True(retention.IsDropped);
        }

        await using (var log = await OpenAsync(Reclaiming))
        {
            Assert.Equal(0, log.GetStatistics().ChangeFeedRetainedBytes);
            Assert.False(log.RetainChanges("dead-reader", ChangeFeedPosition.Oldest).IsDropped);
        }
    }

    [Fact]
    public async Task Open_DamagedReadersFile_OpensWithoutRestoredReaders()
    {
        await using (var log = await OpenAsync(Reclaiming))
        {
            log.RetainChanges("projection", ChangeFeedPosition.Beginning);
            await WriteReclaimableHistoryAsync(log);
        }

        string path = Path.Combine(Dir.Path, RetainedReadersFile.FileName);
        byte[] data = await File.ReadAllBytesAsync(path);
        data[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, data);

        await using (var log = await OpenAsync(Reclaiming))
        {
            await log.CompactAsync();

            // Counted by the log: a background space pass (requested at a rotation) may delete them before CompactAsync does.
            Assert.True(log.GetStatistics().SegmentsDeleted > 0, "the damaged readers file holds nothing");
        }
    }

    [Fact]
    public void ReadersFile_SerializeParse_RoundTrips()
    {
        (string, ChangeFeedPosition)[] readers = [("a", new ChangeFeedPosition(7, (3L << 32) | 128)), ("projection/é", ChangeFeedPosition.Beginning)];

        var parsed = RetainedReadersFile.TryParse(RetainedReadersFile.Serialize(readers), out string? reason, out _, out _);

        Assert.Null(reason);
        Assert.Equal(readers, parsed);
    }

    private static void Reclaiming(WriteAheadLogOptions options) => options.CompactionLiveRatio = 0;

    /// <summary>Several segments of one stream, then a checkpoint covering them: without readers they are dead.</summary>
    private static async Task WriteReclaimableHistoryAsync(WriteAheadLog log)
    {
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("s", 60, Bytes("state@60"));
        await log.AppendAsync("s", 60, Events("61"));
    }
}
