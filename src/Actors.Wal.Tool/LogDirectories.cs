using Actors.Wal.Inspection;

namespace Actors.Wal.Tool;

/// <summary>
/// Finds the log directories a command works on: the directory given when it is a log, otherwise the logs under it
/// (a silo data directory keeps its default store's log in <c>wal/</c>; other stores may sit elsewhere below it).
/// </summary>
internal static class LogDirectories
{
    /// <summary>How deep below the given directory logs are looked for.</summary>
    public const int SearchDepth = 3;

    /// <summary>The lock file of a silo data directory (a silo holds it while it runs on the directory).</summary>
    public const string SiloLockFileName = "silo.lock";

    /// <summary>The log directories at or below <paramref name="directory"/>, sorted; never empty.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist, or holds no log at or below it.</exception>
    public static IReadOnlyList<string> Find(string directory)
    {
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"The directory '{dir}' does not exist.");
        }

        if (LogInspector.IsLogDirectory(dir))
        {
            return [dir];
        }

        var found = new List<string>();
        Search(dir, SearchDepth, found);
        if (found.Count == 0)
        {
            throw new DirectoryNotFoundException(
                $"No log in '{dir}' or in its subdirectories: a log directory holds NNNNNNNNNN.wal segment files (a silo keeps its default store's log in <data directory>/wal).");
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>The silo data directory that holds <paramref name="logDirectory"/> (a parent with <c>silo.lock</c>), or null.</summary>
    public static string? SiloDataDirectoryOf(string logDirectory)
    {
        for (DirectoryInfo? parent = new DirectoryInfo(logDirectory).Parent; parent is not null; parent = parent.Parent)
        {
            if (File.Exists(Path.Combine(parent.FullName, SiloLockFileName)))
            {
                return parent.FullName;
            }
        }

        return null;
    }

    private static void Search(string directory, int depth, List<string> found)
    {
        if (depth == 0)
        {
            return;
        }

        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(directory);
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        foreach (string child in children)
        {
            if (LogInspector.IsLogDirectory(child))
            {
                found.Add(child);
            }
            else
            {
                Search(child, depth - 1, found);
            }
        }
    }
}
