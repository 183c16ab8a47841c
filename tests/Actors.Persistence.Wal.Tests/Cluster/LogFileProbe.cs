using System.Text;
using Actors.Wal;
using Actors.Wal.Tests.Support;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>Erasure checks on a running silo's log: seal the active segment, compact, and scan every file for bytes.</summary>
internal static class LogFileProbe
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The names of the files under <paramref name="directory"/> (recursively) that contain <paramref name="marker"/> (UTF-8).</summary>
    public static IReadOnlyList<string> FilesContaining(string directory, string marker)
        => LogDirectoryScan.FilesHolding(directory, Encoding.UTF8.GetBytes(marker), SearchOption.AllDirectories);

    /// <summary>
    /// Compacts until no file contains <paramref name="marker"/>, without appending anything: <c>CompactAsync</c> seals an
    /// active segment an erase left records in. A deleted segment's file goes once its last reader let go, so this polls
    /// with a generous deadline.
    /// </summary>
    public static async Task CompactUntilGoneAsync(WriteAheadLog log, string directory, string marker)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            await log.CompactAsync();
            IReadOnlyList<string> files = FilesContaining(directory, marker);
            if (files.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"after {Deadline.TotalSeconds} s of compaction '{marker}' is still in {string.Join(", ", files)}");
            await Task.Delay(50);
        }
    }
}
