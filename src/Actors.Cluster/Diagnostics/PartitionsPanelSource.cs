using System.Globalization;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Hosting.Dashboard;

namespace Actors.Cluster.Diagnostics;

/// <summary>
/// The dashboard's <c>Partitions</c> panel: one row per partition of the table this silo last read (owner and its
/// incarnation, epoch, owned or moving and to where) beside this silo's local state of it, so an operator sees which
/// silo serves what, hand-offs in progress, and partitions this silo cannot serve (<see cref="LocalPartitionState.Lost"/>).
/// Shows nothing before this silo joined.
/// </summary>
internal sealed class PartitionsPanelSource(IClusterView view) : IDashboardPanelSource
{
    /// <inheritdoc />
    public ValueTask<DashboardPanel?> GetPanelAsync(CancellationToken cancellationToken)
    {
        ClusterSnapshot? snapshot = view.Snapshot;
        if (snapshot is null)
        {
            return ValueTask.FromResult<DashboardPanel?>(null);
        }

        IReadOnlyList<LocalPartitionState> local = view.LocalPartitions;
        var rows = new List<IReadOnlyList<string>>(snapshot.Partitions.Count);
        int moving = 0;
        int lost = 0;
        foreach (PartitionRecord partition in snapshot.Partitions)
        {
            LocalPartitionState here = partition.Partition < local.Count ? local[partition.Partition] : LocalPartitionState.None;
            moving += partition.State == PartitionState.Moving ? 1 : 0;
            lost += here == LocalPartitionState.Lost ? 1 : 0;
            rows.Add(
            [
                partition.Partition.ToString(CultureInfo.InvariantCulture),
                partition.Owner is null ? "(unassigned)" : $"{partition.Owner}#{partition.OwnerIncarnation}",
                partition.Epoch.ToString(CultureInfo.InvariantCulture),
                partition.State == PartitionState.Moving ? $"Moving to {partition.Target}" : partition.State.ToString(),
                here == LocalPartitionState.None ? "-" : here.ToString(),
            ]);
        }

        return ValueTask.FromResult<DashboardPanel?>(new DashboardPanel(
            "partitions",
            "Partitions",
            ["Partition", "Owner", "Epoch", "State", $"On {view.SiloName}"],
            rows)
        {
            Note = $"{moving} moving; {lost} owned here but unreadable (lost); the store's row is the truth about ownership, the last column is this silo's view.",
        });
    }
}
