using System.Globalization;
using Actors.Cluster.Membership;
using Actors.Hosting.Dashboard;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Diagnostics;

/// <summary>
/// The dashboard's <c>Cluster silos</c> panel: every row of the membership table read from the store when the panel is
/// asked for (name, incarnation, status, endpoints, lease left by the store's clock, partitions owned), and a chart of
/// partitions owned per silo. Shows nothing before this silo joined. When the store cannot be read it shows the table as
/// this silo last read it and says so (leases of unchanged rows are then as last read).
/// </summary>
internal sealed partial class ClusterSilosPanelSource(IClusterView view, ILogger<ClusterSilosPanelSource> logger) : IDashboardPanelSource
{
    /// <inheritdoc />
    public async ValueTask<DashboardPanel?> GetPanelAsync(CancellationToken cancellationToken)
    {
        if (view.Snapshot is null)
        {
            return null;
        }

        ClusterSnapshot? snapshot;
        string? stale = null;
        try
        {
            snapshot = await view.ReadTableAsync(cancellationToken);
        }
        catch (ClusterStoreException ex)
        {
            LogStoreUnreadable(logger, ex);
            snapshot = view.Snapshot;
            stale = $" The cluster store could not be read ({ex.Message}): the table as this silo last read it; leases of unchanged rows are as then.";
        }

        if (snapshot is null)
        {
            return null;
        }

        Dictionary<string, int> owned = PartitionsOwnedBySilo(snapshot);
        var rows = new List<IReadOnlyList<string>>(snapshot.Silos.Count);
        var chart = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (SiloRecord silo in snapshot.Silos.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            int partitions = owned.GetValueOrDefault(silo.Name);
            TimeSpan leaseLeft = silo.LeaseExpiresAt - snapshot.Now;
            rows.Add(
            [
                string.Equals(silo.Name, view.SiloName, StringComparison.Ordinal) ? $"{silo.Name} (this silo)" : silo.Name,
                silo.Incarnation.ToString(CultureInfo.InvariantCulture),
                silo.Status.ToString(),
                silo.SiloEndpoint,
                silo.GatewayEndpoint ?? "-",
                silo.IsLive ? FormatLease(leaseLeft) : "-",
                partitions.ToString(CultureInfo.InvariantCulture),
            ]);
            if (silo.IsLive)
            {
                chart[silo.Name] = partitions;
            }
        }

        int unassigned = snapshot.Partitions.Count(p => p.Owner is null);
        return new DashboardPanel(
            "cluster-silos",
            $"Cluster {snapshot.ClusterId}: silos",
            ["Silo", "Incarnation", "Status", "Silo endpoint", "Gateway", "Lease left", "Partitions owned"],
            rows)
        {
            Chart = chart,
            Note = $"Table version {snapshot.TableVersion} read at {snapshot.Now:HH:mm:ss} (store clock); {snapshot.PartitionCount} partitions"
                + (unassigned == 0 ? "." : $", {unassigned} unassigned.") + stale,
        };
    }

    /// <summary>Partitions per owning silo name.</summary>
    internal static Dictionary<string, int> PartitionsOwnedBySilo(ClusterSnapshot snapshot)
    {
        var owned = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (PartitionRecord partition in snapshot.Partitions)
        {
            if (partition.Owner is not null)
            {
                owned[partition.Owner] = owned.GetValueOrDefault(partition.Owner) + 1;
            }
        }

        return owned;
    }

    private static string FormatLease(TimeSpan left) => left <= TimeSpan.Zero
        ? $"expired {(-left).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s ago"
        : $"{left.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s";

    [LoggerMessage(EventId = 4190, Level = LogLevel.Warning, Message = "The cluster silos panel could not read the cluster store; it shows the table as last read")]
    private static partial void LogStoreUnreadable(ILogger logger, Exception exception);
}
