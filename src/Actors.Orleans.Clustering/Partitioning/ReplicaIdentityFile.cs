using System.Globalization;
using System.Text;
using Actors.Wal.IO;

namespace Actors.Orleans.Clustering.Partitioning;

/// <summary>
/// The file <c>cluster-replica</c> in the silo's log directory: which cluster and which replica number the directory's data
/// belongs to. Written once, when the directory first joins a cluster; a partition led by replica N is served only from
/// the directory that says N, whatever the silo's name or address after a restart.
/// </summary>
/// <remarks>
/// Format (UTF-8 text, three lines, each ending in <c>\n</c>): <c>actors-orleans-replica 1</c> (the format version),
/// <c>cluster=&lt;Orleans ClusterId&gt;</c>, <c>replica=&lt;positive decimal integer&gt;</c>. Written to a temporary
/// file, fsynced, renamed over the name, and the directory fsynced: it is either absent or whole.
/// </remarks>
internal static class ReplicaIdentityFile
{
    /// <summary>The file's name in the log directory.</summary>
    public const string FileName = "cluster-replica";

    private const string Header = "actors-orleans-replica 1";

    /// <summary>The directory's cluster and replica number, or null when the directory has not joined a cluster.</summary>
    /// <exception cref="WriteAheadLogReplicationException">The file exists but is not in the format above.</exception>
    public static (string ClusterId, int Replica)? Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        string[] lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
        if (lines.Length == 4 && lines[0] == Header && lines[3].Length == 0
            && lines[1].StartsWith("cluster=", StringComparison.Ordinal) && lines[1].Length > "cluster=".Length
            && lines[2].StartsWith("replica=", StringComparison.Ordinal)
            && int.TryParse(lines[2].AsSpan("replica=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int replica) && replica > 0)
        {
            return (lines[1]["cluster=".Length..], replica);
        }

        throw new WriteAheadLogReplicationException(
            $"The replica identity file '{path}' is damaged (expected '{Header}', 'cluster=...', 'replica=N'): the silo cannot tell which partitions its log holds. Restore the file (the replica number is in table actors_orleans_replicas, by silo name) rather than delete it.");
    }

    /// <summary>Writes the file durably (see the remarks of <see cref="ReplicaIdentityFile"/>).</summary>
    public static void Write(string directory, string clusterId, int replica)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        string temporary = path + ".tmp";
        byte[] content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Header}\ncluster={clusterId}\nreplica={replica}\n"));
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        PhysicalFileSystem.Instance.SyncDirectory(directory);
    }
}
