using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// The entry logs of a stopped (killed) silo's partition replicas, read from its data directory (the silo's journal in
/// <c>.../replicas/journal</c> with each replica's files in <c>.../replicas/{partition:D5}/entries</c>, or a log of its
/// own in that directory): exactly what the silo will find when it restarts, so a test knows which entries a returning
/// replica lacks.
/// </summary>
public static class ReplicaEntryLogsOnDisk
{
    /// <summary>The directory lock file (held by the silo while it runs), not copied.</summary>
    private const string LockFileName = "LOCK";

    /// <summary>
    /// The last LSN of each replica's entry log under <paramref name="dataDirectory"/>, by partition. The logs are opened
    /// from a copy (recovery may cut a torn tail; the copy is deleted, the silo's files are left as they are).
    /// </summary>
    /// <remarks>Only for a silo that is not running: a running replica writes its log while it is copied.</remarks>
    public static IReadOnlyDictionary<int, long> EndLsns(string dataDirectory)
    {
        var ends = new Dictionary<int, long>();
        foreach (string replicas in Directory.GetDirectories(dataDirectory, "replicas", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(Path.GetTempPath(), "actors-entry-log-copy-" + Guid.NewGuid().ToString("N"));
            try
            {
                string journal = Path.Combine(replicas, "journal");
                EntryJournal? copiedJournal = Directory.Exists(journal)
                    ? EntryJournal.Open(new EntryJournalOptions { Directory = CopyDirectory(journal, Path.Combine(copy, "journal")) })
                    : null;
                using (copiedJournal)
                {
                    foreach (string partition in Directory.GetDirectories(replicas))
                    {
                        string entries = Path.Combine(partition, "entries");
                        if (!int.TryParse(Path.GetFileName(partition), out int number) || !Directory.Exists(entries))
                        {
                            continue;
                        }

                        string copied = CopyDirectory(entries, Path.Combine(copy, number.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)));
                        using IEntryLog log = copiedJournal is null
                            ? EntryLog.Open(new EntryLogOptions { Directory = copied })
                            : copiedJournal.OpenLog(number, copied);
                        ends[number] = log.EndLsn;
                    }
                }
            }
            finally
            {
                if (Directory.Exists(copy))
                {
                    Directory.Delete(copy, recursive: true);
                }
            }
        }

        return ends;
    }

    private static string CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != LockFileName))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        return destination;
    }
}
