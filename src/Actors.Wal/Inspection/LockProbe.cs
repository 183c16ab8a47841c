namespace Actors.Wal.Inspection;

/// <summary>Tells whether a process holds a log directory's LOCK file, without creating or writing it.</summary>
internal static class LockProbe
{
    /// <summary>
    /// True when the LOCK file exists and another open file description holds its exclusive lock. The probe opens the
    /// existing file for reading with a shared lock and closes it at once; it never creates the file.
    /// </summary>
    public static bool IsLocked(string directory) => IsLocked(directory, WriteAheadLog.LockFileName);

    /// <summary>True when the lock file <paramref name="fileName"/> in <paramref name="directory"/> exists and another process holds its exclusive lock (same probe).</summary>
    public static bool IsLocked(string directory, string fileName)
    {
        string path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
