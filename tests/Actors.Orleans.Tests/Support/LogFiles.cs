using System.Text;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// What the bytes on disk hold: every file under a log directory scanned for a marker. The lock file is skipped (empty,
/// held exclusively while the log is open); a file the log deleted or renamed between listing and reading restarts the
/// scan, so every answer comes from one listing whose files were all read.
/// </summary>
internal static class LogFiles
{
    /// <summary>The files under <paramref name="directory"/> (recursively) whose bytes contain <paramref name="marker"/> (UTF-8).</summary>
    public static IReadOnlyList<string> Containing(string directory, string marker)
    {
        byte[] needle = Encoding.UTF8.GetBytes(marker);
        while (true)
        {
            try
            {
                return [.. System.IO.Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                    .Where(file => Path.GetFileName(file) != "LOCK" && File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0)];
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // The log removed a file while it was being scanned: list again.
            }
        }
    }
}
