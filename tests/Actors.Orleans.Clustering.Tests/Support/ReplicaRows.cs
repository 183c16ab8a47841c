using System.Globalization;
using Actors.Orleans.Clustering.Replication;
using Actors.Replication;
using Actors.Replication.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// The partitions' rows as a silo of a <see cref="ReplicatedTestCluster"/> reads them, what they name, where a silo keeps
/// a replica's files, and a wait on the rows whose failure says what was awaited and what was seen.
/// </summary>
internal static class ReplicaRows
{
    /// <summary>Every partition's row, read by <paramref name="silo"/> (a read that began after this call).</summary>
    public static async Task<Dictionary<int, ReplicaConfiguration>> ReadAsync(SiloHandle silo) =>
        await ReplicatedTestCluster.Replicas(silo).Reads.ReadAsync();

    /// <summary>The partitions whose row names <paramref name="silo"/>'s replica.</summary>
    public static HashSet<int> Named(Dictionary<int, ReplicaConfiguration> rows, SiloHandle silo)
    {
        var id = new ReplicaId(ReplicatedTestCluster.ReplicaId(silo));
        return [.. rows.Where(r => r.Value.Replicas.Contains(id)).Select(r => r.Key)];
    }

    /// <summary>True when every row names <paramref name="factor"/> replicas, all of them in sync.</summary>
    public static bool AllInSync(Dictionary<int, ReplicaConfiguration> rows, int factor) =>
        rows.Values.All(row => row.Replicas.Length == factor && row.InSync.SequenceEqual(row.Replicas));

    /// <summary>"partition: row" for each row, for failure messages.</summary>
    public static string Describe(Dictionary<int, ReplicaConfiguration> rows) =>
        string.Join("; ", rows.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value}"));

    /// <summary>The directory of <paramref name="partition"/>'s replica in the log directory <paramref name="logDirectory"/>.</summary>
    public static string ReplicaDirectory(string logDirectory, int partition) =>
        Path.Combine(logDirectory, SiloReplicas.ReplicasDirectoryName, partition.ToString("D5", CultureInfo.InvariantCulture));

    /// <summary>The log directory of <paramref name="silo"/>.</summary>
    public static string LogDirectory(SiloHandle silo) =>
        ReplicatedTestCluster.Services(silo).GetRequiredService<IOptions<SiloLogOptions>>().Value.Directory;

    /// <summary>
    /// Completes once <paramref name="condition"/> holds, checked every 50 ms; fails the test after
    /// <see cref="ReplicatedClusterWaits.Patience"/> naming <paramref name="what"/> and, if given, <paramref name="state"/>.
    /// </summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string>? state = null)
    {
        DateTime deadline = DateTime.UtcNow + ReplicatedClusterWaits.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {ReplicatedClusterWaits.Patience.TotalSeconds} s waiting for {what}{(state is null ? "" : "; " + state())}");
            await Task.Delay(50);
        }
    }
}
