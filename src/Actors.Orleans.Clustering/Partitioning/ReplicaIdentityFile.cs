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
/// file, fsynced, renamed over the name, and the directory fsynced (the directory itself created durably when missing):
/// after a power cut it is either absent or whole, and whole once the write returned.
/// </remarks>
internal static class ReplicaIdentityFile
{
    /// <summary>The file's name in the log directory.</summary>
    public const string FileName = "cluster-replica";

    private const string Header = "actors-orleans-replica 1";

    /// <summary>The directory's cluster and replica number, or null when the directory has not joined a cluster.</summary>
    /// <exception cref="WriteAheadLogReplicationException">The file exists but is not in the format above.</exception>
    public static (string ClusterId, int Replica)? Read(string directory) => Read(PhysicalFileSystem.Instance, directory);

    /// <summary>As <see cref="Read(string)"/>, on <paramref name="fileSystem"/> (a test's simulated disk).</summary>
    internal static (string ClusterId, int Replica)? Read(IFileSystem fileSystem, string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!fileSystem.FileExists(path))
        {
            return null;
        }

        string text;
        using (IWalFile file = fileSystem.OpenFile(path, WalFileMode.OpenReadOnly))
        {
            byte[] bytes = new byte[file.Length];
            int read = file.Read(0, bytes);
            text = Encoding.UTF8.GetString(bytes, 0, read);
        }

        string[] lines = text.Split('\n');
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
    public static void Write(string directory, string clusterId, int replica) => Write(PhysicalFileSystem.Instance, directory, clusterId, replica);

    /// <summary>As <see cref="Write(string, string, int)"/>, on <paramref name="fileSystem"/>: the temporary file written and fsynced, renamed over the name, the directory fsynced.</summary>
    internal static void Write(IFileSystem fileSystem, string directory, string clusterId, int replica)
    {
        DurableFile.CreateDirectory(fileSystem, directory);
        byte[] content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Header}\ncluster={clusterId}\nreplica={replica}\n"));
        DurableFile.Replace(fileSystem, directory, FileName, FileName + ".tmp", content);
    }
}
