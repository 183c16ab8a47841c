using System.Collections.Concurrent;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// LogBackup: a backup taken while writers append durably (and checkpoints make compaction delete segments) restores
/// to a log holding every event acknowledged before the backup began, with the exact payloads; a capture into memory
/// (<see cref="LogBackup.Capture"/>) holds the same files.
/// </summary>
public sealed class BackupTests : LogTestBase
{
    private const int Streams = 16;
    private const int Writers = 4;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BackupOrCapture_UnderDurableLoadWithCompaction_RestoresEveryEventAcknowledgedBeforeIt(bool inMemory)
    {
        using var backup = new TempDirectory();
        using var restore = new TempDirectory();
        var log = await OpenAsync(o => o.SyncPolicy = SyncPolicy.Always);
        var acked = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        Task[] writers = [.. Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(log, w, acked, stop.Token)))];

        await PollAsync(() => log.GetStatistics().SegmentsDeleted >= 2, "the load made compaction delete no segments");
        var before = new Dictionary<string, long>(acked);
        LogBackupResult result = inMemory ? WriteCapture(LogBackup.Capture(Dir.Path), backup.Path) : LogBackup.Backup(Dir.Path, backup.Path);
        long segmentsAtBackup = log.GetStatistics().SegmentCount;
        await PollAsync(() => log.GetStatistics().WrittenLsn > result.LastLsn + 500, "no more appends after the backup");
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var final = new Dictionary<string, long>(acked);
        await log.DisposeAsync();

        LogRestoreResult restored = await LogBackup.RestoreAsync(backup.Path, restore.Path);

        Assert.True(result.Segments > 0 && segmentsAtBackup > 0, $"backup copied {result.Segments} segments");
        Assert.Equal(result.LastLsn, restored.LastLsn);
        await using var check = await WriteAheadLog.OpenAsync(Options(o => o.Directory = restore.Path));
        foreach ((string stream, long version) in before)
        {
            var read = await check.ReadStreamAsync(stream);
            Assert.True(read.Version >= version, $"stream {stream}: acknowledged version {version} before the backup, restored {read.Version}");
            Assert.True(read.Version <= final[stream], $"stream {stream}: restored version {read.Version} was never written (last {final[stream]})");
            long next = 1;
            if (read.Checkpoint is { } checkpoint)
            {
                Assert.Equal(CheckpointText(stream, checkpoint.Version), Text(checkpoint.State));
                next = checkpoint.Version + 1;
            }

            foreach (var stored in read.Events)
            {
                Assert.Equal((next, EventText(stream, next)), (stored.Version, Text(stored.Payload)));
                next++;
            }

            Assert.Equal(read.Version + 1, next);
        }
    }

    [Fact]
    public async Task Capture_LogAtRest_HoldsExactlyTheFilesABackupWrites()
    {
        using var backup = new TempDirectory();
        await using (var log = await OpenAsync(o => o.SegmentSizeBytes = 64 * 1024))
        {
            for (int i = 1; i <= 400; i++)
            {
                await log.AppendAsync($"s{i % 7}", ExpectedVersion.Any, Events(new string('e', 300) + i));
            }

            Assert.True(log.GetStatistics().SegmentCount > 1, "the appends filled one segment only");
            LogBackupResult backedUp = LogBackup.Backup(Dir.Path, backup.Path);
            LogCapture capture = LogBackup.Capture(Dir.Path);

            Assert.Equal(
                Directory.GetFiles(backup.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal),
                capture.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
            foreach (var file in capture.Files)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(backup.Path, file.Name)).AsSpan().SequenceEqual(file.Content.Span), $"{file.Name} differs from the backup's");
            }

            Assert.Equal((backedUp.Segments, backedUp.Bytes, backedUp.LastLsn), (capture.Segments, capture.Bytes, capture.LastLsn));
        }
    }

    [Fact]
    public async Task Capture_SealedSegmentDamaged_ThrowsNamingTheSegment()
    {
        await using (var log = await OpenAsync(o => o.SegmentSizeBytes = 64 * 1024))
        {
            for (int i = 1; i <= 400; i++)
            {
                await log.AppendAsync("s", ExpectedVersion.Any, Events(new string('e', 300) + i));
            }
        }

        string first = Directory.GetFiles(Dir.Path, "*.wal").Order(StringComparer.Ordinal).First();
        byte[] bytes = File.ReadAllBytes(first);
        int at = bytes.AsSpan().IndexOf("eeee"u8);
        bytes[at] ^= 0xFF;
        File.WriteAllBytes(first, bytes);

        var error = Assert.Throws<LogBackupException>(() => LogBackup.Capture(Dir.Path));

        Assert.Contains(Path.GetFileName(first), error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_DirectoryWithoutManifest_ThrowsNamingIt()
    {
        using var backup = new TempDirectory();
        File.WriteAllBytes(Path.Combine(Dir.Path, "0000000001.wal"), new byte[128]);

        var error = Assert.Throws<LogBackupException>(() => LogBackup.Backup(Dir.Path, backup.Path));

        Assert.Contains("segments.manifest", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Backup_IntoANonEmptyDirectory_IsRefusedAndLeavesItAlone()
    {
        using var backup = new TempDirectory();
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 0, Events("1"));
        }

        string stray = Path.Combine(backup.Path, "keep.txt");
        File.WriteAllText(stray, "x");

        Assert.Throws<LogBackupException>(() => LogBackup.Backup(Dir.Path, backup.Path));
        Assert.Single(Directory.GetFiles(backup.Path));
    }

    [Fact]
    public async Task RestoreAsync_BackupWithADamagedRecord_ThrowsCorrupted()
    {
        using var backup = new TempDirectory();
        using var restore = new TempDirectory();
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 0, Events("first-event", "second-event"));
            await log.AppendAsync("s", 2, Events("third-event"));
        }

        LogBackup.Backup(Dir.Path, backup.Path);
        string segment = Directory.GetFiles(backup.Path, "*.wal").Single();
        byte[] bytes = File.ReadAllBytes(segment);
        int at = bytes.AsSpan().IndexOf("second-event"u8);
        bytes[at] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        await Assert.ThrowsAsync<LogCorruptedException>(() => LogBackup.RestoreAsync(backup.Path, restore.Path));
    }

    private static async Task WriteAsync(WriteAheadLog log, int writer, ConcurrentDictionary<string, long> acked, CancellationToken stop)
    {
        var versions = new long[Streams];
        while (!stop.IsCancellationRequested)
        {
            for (int s = writer; s < Streams; s += Writers)
            {
                string stream = $"s{s}";
                long version = versions[s] + 1;
                await log.AppendAsync(stream, version - 1, [Bytes(EventText(stream, version))]);
                versions[s] = version;
                acked[stream] = version;
                if (version % 25 == 0)
                {
                    await log.WriteCheckpointAsync(stream, version, Bytes(CheckpointText(stream, version)));
                }
            }
        }
    }

    private static string EventText(string stream, long version) => $"{stream}:event:{version}:" + new string('e', 150);

    private static string CheckpointText(string stream, long version) => $"{stream}:checkpoint:{version}:" + new string('c', 300);

    /// <summary>Writes a capture's files into <paramref name="directory"/>: the backup directory it stands for.</summary>
    private static LogBackupResult WriteCapture(LogCapture capture, string directory)
    {
        foreach (var file in capture.Files)
        {
            File.WriteAllBytes(Path.Combine(directory, file.Name), file.Content.ToArray());
        }

        return new LogBackupResult(directory, capture.Segments, capture.Bytes, capture.LastLsn, capture.Attempts);
    }
}
