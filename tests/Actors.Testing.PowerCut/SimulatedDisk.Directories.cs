namespace Actors.Testing.PowerCut;

/// <summary>
/// Directories as names (methods only; the state is declared in SimulatedDisk.cs): a directory created through
/// <see cref="CreateDirectory"/> is a name in its parent, durable only once the parent is synced, and a crash image drops
/// every file under a directory whose name did not survive (ext4 without a journal, or any file system that only promises
/// POSIX, loses a new directory with everything in it when its parent was not fsynced). Directories never created here
/// (the root and what a test starts from), and those holding the files of a <see cref="FromImage"/> disk, count as durable.
/// </summary>
public sealed partial class SimulatedDisk
{
    /// <summary>
    /// Creates <paramref name="path"/> and each missing ancestor below the root, each a pending name in its parent until
    /// that directory is synced (<see cref="SyncDirectory(string)"/>, or <see cref="SyncDirectory()"/>).
    /// </summary>
    public void CreateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_lock)
        {
            var missing = new Stack<string>();
            for (var directory = path; !IsRoot(directory) && !_directories.Contains(directory!); directory = Path.GetDirectoryName(directory))
            {
                missing.Push(directory!);
            }

            while (missing.TryPop(out var directory))
            {
                Apply(new DiskOp(DiskOpKind.CreateDirectory, directory, null, 0, 0, null));
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> was created through <see cref="CreateDirectory"/> or holds a file of a <see cref="FromImage"/> disk.</summary>
    public bool DirectoryExists(string path)
    {
        lock (_lock)
        {
            return _directories.Contains(path);
        }
    }

    private static bool IsRoot(string? directory) => string.IsNullOrEmpty(directory) || Path.GetDirectoryName(directory) is null;

    /// <summary>Whether every ancestor of <paramref name="path"/> that was created here is among <paramref name="directories"/> (the names that survive).</summary>
    private bool InSurvivingDirectory(string path, HashSet<string> directories)
    {
        for (var directory = Path.GetDirectoryName(path); !IsRoot(directory); directory = Path.GetDirectoryName(directory))
        {
            if (_directories.Contains(directory!) && !directories.Contains(directory!))
            {
                return false;
            }
        }

        return true;
    }
}
