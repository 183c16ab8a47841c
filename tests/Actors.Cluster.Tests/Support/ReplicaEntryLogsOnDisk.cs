using Actors.Wal.Entries;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// The entry logs of a stopped (killed) silo's partition replicas, read from its data directory
/// (<c>.../replicas/{partition:D5}/entries</c>): exactly what the silo will find when it restarts, so a test knows which
/// entries a returning replica lacks.
/// </summary>
public static class ReplicaEntryLogsOnDisk
{
    /// <summary>The entry log's directory lock file (held by the silo while it runs), not copied.</summary>
    private const string LockFileName = "LOCK";

    /// <summary>
    /// The last LSN of each replica's entry log under <paramref name="dataDirectory"/>, by partition. Each log is opened
    /// from a copy (recovery may cut a torn tail; the copy is deleted, the silo's files are left as they are).
    /// </summary>
    /// <remarks>Only for a silo that is not running: a running replica writes its log while it is copied.</remarks>
    public static IReadOnlyDictionary<int, long> EndLsns(string dataDirectory)
    {
        var ends = new Dictionary<int, long>();
        foreach (string replicas in Directory.GetDirectories(dataDirectory, "replicas", SearchOption.AllDirectories))
        {
            foreach (string partition in Directory.GetDirectories(replicas))
            {
                string entries = Path.Combine(partition, "entries");
                if (!int.TryParse(Path.GetFileName(partition), out int number) || !Directory.Exists(entries))
                {
                    continue;
                }

                string copy = Path.Combine(Path.GetTempPath(), "actors-entry-log-copy-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(copy);
                try
                {
                    foreach (string file in Directory.GetFiles(entries).Where(f => Path.GetFileName(f) != LockFileName))
                    {
                        File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                    }

                    using EntryLog log = EntryLog.Open(new EntryLogOptions { Directory = copy });
                    ends[number] = log.EndLsn;
                }
                finally
                {
                    Directory.Delete(copy, recursive: true);
                }
            }
        }

        return ends;
    }
}
