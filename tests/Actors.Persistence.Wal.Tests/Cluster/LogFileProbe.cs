using System.Text;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>Erasure checks on a running silo's log: seal the active segment, compact, and scan every file for bytes.</summary>
internal static class LogFileProbe
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The names of the files under <paramref name="directory"/> that contain <paramref name="marker"/> (UTF-8).</summary>
    public static List<string> FilesContaining(string directory, string marker)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(marker);
        return Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "LOCK") // empty, and held exclusively while the log is open
            .Where(f => File.ReadAllBytes(f).AsSpan().IndexOf(bytes) >= 0)
            .Select(f => Path.GetFileName(f))
            .ToList();
    }

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
            List<string> files = FilesContaining(directory, marker);
            if (files.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"after {Deadline.TotalSeconds} s of compaction '{marker}' is still in {string.Join(", ", files)}");
            await Task.Delay(50);
        }
    }
}
