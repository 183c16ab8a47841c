using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// A backup process killed at every point (after each file it writes): what it leaves is never restored as a log that
/// silently lacks data: restore refuses it with a typed error, and only a backup whose manifest was written restores,
/// with every event.
/// </summary>
public sealed class BackupCrashTests : LogTestBase
{
    [Fact]
    public async Task Backup_KilledAfterEachFile_PartialBackupRefusedAndCompleteOneRestoresEverything()
    {
        int streams = await WriteSeveralSegmentsAsync();
        using var reference = new TempDirectory();
        int files = 0;
        LogBackup.Copy(Dir.Path, reference.Path, _ => files++);
        Assert.True(files >= 4, $"precondition: a backup of several segments writes several files; it wrote {files}");

        for (int crashAfter = 1; crashAfter <= files; crashAfter++)
        {
            using var partial = new TempDirectory();
            using var restored = new TempDirectory();
            int written = 0;
            int point = crashAfter;
            var crash = Assert.Throws<SimulatedCrashException>(() => LogBackup.Copy(Dir.Path, partial.Path, _ =>
            {
                if (++written == point)
                {
                    throw new SimulatedCrashException();
                }
            }));
            Assert.NotNull(crash);

            bool manifestWritten = File.Exists(partial.File(SegmentManifest.FileName));
            Assert.Equal(crashAfter == files, manifestWritten);
            if (!manifestWritten)
            {
                var refused = await Assert.ThrowsAsync<LogBackupException>(() => LogBackup.RestoreAsync(partial.Path, restored.Path));
                Assert.Contains(SegmentManifest.FileName, refused.Message, StringComparison.Ordinal);
                continue;
            }

            // Killed after the manifest was durable (before the directory fsync): the backup is complete.
            await LogBackup.RestoreAsync(partial.Path, restored.Path);
            await AssertHoldsEveryStreamAsync(restored.Path, streams);
        }
    }

    [Fact]
    public async Task Restore_TornManifest_RefusedWithATypedError()
    {
        await WriteSeveralSegmentsAsync();
        using var backup = new TempDirectory();
        using var restored = new TempDirectory();
        LogBackup.Backup(Dir.Path, backup.Path);
        string manifest = backup.File(SegmentManifest.FileName);
        byte[] bytes = File.ReadAllBytes(manifest);
        File.WriteAllBytes(manifest, bytes[..(bytes.Length / 2)]);

        var refused = await Assert.ThrowsAsync<LogBackupException>(() => LogBackup.RestoreAsync(backup.Path, restored.Path));
        Assert.Contains("cannot be read", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Streams of one event each across several sealed segments and an open one; returns how many.</summary>
    private async Task<int> WriteSeveralSegmentsAsync()
    {
        int streams = 0;
        await using var log = await OpenAsync();
        while (log.GetStatistics().SegmentCount < 4)
        {
            await log.AppendAsync($"s{streams}", 0, [Payload(streams)]);
            streams++;
        }

        return streams;
    }

    private async Task AssertHoldsEveryStreamAsync(string directory, int streams)
    {
        await using var log = await WriteAheadLog.OpenAsync(Options(o => o.Directory = directory));
        for (int s = 0; s < streams; s++)
        {
            var read = await log.ReadStreamAsync($"s{s}");
            Assert.Equal(Payload(s).ToArray(), Assert.Single(read.Events).Payload.ToArray());
        }
    }

    private static ReadOnlyMemory<byte> Payload(int stream) => Bytes($"stream {stream}:" + new string('x', 3000));

    private sealed class SimulatedCrashException : Exception
    {
        public SimulatedCrashException()
            : base("simulated kill of the backup process")
        {
        }
    }
}
