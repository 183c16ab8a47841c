namespace Actors.Wal.Tests.Support;

/// <summary>
/// Scans the files of a live log's directory for a byte marker. The log writes and renames files in the background (the
/// index snapshot goes through a temporary file that is renamed away, compaction deletes segments); a file that vanishes
/// between listing and reading restarts the scan, so every answer comes from one listing whose files were all read. The
/// lock file is skipped: it is empty and held exclusively while the log is open.
/// </summary>
internal static class LogDirectoryScan
{
    /// <summary>The names (not paths) of the files under <paramref name="directory"/> that hold <paramref name="marker"/>.</summary>
    public static IReadOnlyList<string> FilesHolding(string directory, ReadOnlySpan<byte> marker, SearchOption search = SearchOption.TopDirectoryOnly)
    {
        while (true)
        {
            var holding = new List<string>();
            bool vanished = false;
            foreach (string file in Directory.GetFiles(directory, "*", search))
            {
                if (Path.GetFileName(file) == "LOCK")
                {
                    continue;
                }

                try
                {
                    if (File.ReadAllBytes(file).AsSpan().IndexOf(marker) >= 0)
                    {
                        holding.Add(Path.GetFileName(file));
                    }
                }
                catch (FileNotFoundException)
                {
                    vanished = true;
                    break;
                }
                catch (DirectoryNotFoundException)
                {
                    vanished = true;
                    break;
                }
            }

            if (!vanished)
            {
                return holding;
            }
        }
    }
}
