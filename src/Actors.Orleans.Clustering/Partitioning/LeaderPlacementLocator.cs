using System.Buffers.Binary;
using System.IO.Hashing;
using Actors.Orleans.Clustering.Diagnostics;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Placement;
using Actors.Replication.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Partitioning;

/// <summary>
/// Places a write-ahead-log grain on the silo leading its partition. A partition no silo leads yet gets a leader among
/// the active silos that run replication, chosen by rendezvous hashing of (partition, replica number) so that partitions
/// spread over the silos, and written as the partition's first row (a conditional insert: when several silos place the
/// same new partition at once, the first row wins and all of them place on its leader).
/// </summary>
/// <remarks>With a replication factor of 1 a partition's leader never changes: while its silo is down, placing its grains
/// fails with <see cref="WriteAheadLogUnavailableException"/> (retryable: it succeeds once the silo is back).</remarks>
internal sealed class LeaderPlacementLocator(ClusterReplica replica, PartitionView view, IOptions<WriteAheadLogReplicationOptions> options) : IGrainLeaderLocator
{
    /// <inheritdoc />
    public async Task<SiloAddress> GetLeaderAsync(GrainId grainId, SiloAddress[] compatibleSilos)
    {
        try
        {
            return await LocateAsync(grainId, compatibleSilos).ConfigureAwait(false);
        }
        catch (WriteAheadLogUnavailableException)
        {
            ClusteringInstruments.PlacementRefused();
            throw;
        }
    }

    private async Task<SiloAddress> LocateAsync(GrainId grainId, SiloAddress[] compatibleSilos)
    {
        ArgumentNullException.ThrowIfNull(compatibleSilos);
        int partition = GrainPartitions.GetPartition(grainId, replica.PartitionCount);
        try
        {
            long seen = view.Refreshes;
            if (view.IsOlderThan(PartitionView.PlacementMaxAge))
            {
                // Another silo may have taken the leadership from a silo that is still active: this silo sees none of the
                // refusals its placements then meet, so only the view's age ends them.
                await RefreshIfReachableAsync(seen).ConfigureAwait(false);
                seen = view.Refreshes;
            }

            if (Place(partition, compatibleSilos) is { } placed)
            {
                return placed;
            }

            await view.RefreshAsync(seen).ConfigureAwait(false);
            if (Place(partition, compatibleSilos) is { } refreshed)
            {
                return refreshed;
            }

            if (view.Row(partition) is { } row)
            {
                throw new WriteAheadLogUnavailableException(row.Replicas.Length > 1
                    ? $"Grain {grainId} is in partition {partition}, led by replica {row.Leader} (silo {view.AddressOf(row.Leader) ?? "unknown"}), which is not an active silo of the cluster now; an in-sync replica of the partition takes it over within seconds. Retry the call. Nothing was read or stored."
                    : $"Grain {grainId} is in partition {partition}, led by replica {row.Leader} (silo {view.AddressOf(row.Leader) ?? "unknown"}), which is not an active silo of the cluster now; with replication factor 1 the partition waits for that silo to come back. Retry later. Nothing was read or stored.");
            }

            int factor = options.Value.ReplicationFactor;
            List<int> chosen = ChooseReplicas(partition, compatibleSilos, factor);
            if (chosen.Count == 0)
            {
                throw new WriteAheadLogUnavailableException(
                    $"Grain {grainId} is in partition {partition}, which no silo leads yet, and no active silo compatible with the grain runs AddWriteAheadLogReplication in cluster '{replica.Catalog.ClusterId}'. Retry once such a silo is active. Nothing was read or stored.");
            }

            if (chosen.Count < factor)
            {
                throw new WriteAheadLogUnavailableException(
                    $"Grain {grainId} is in partition {partition}, which has no replicas yet, and only {chosen.Count} active silo(s) compatible with the grain run AddWriteAheadLogReplication in cluster '{replica.Catalog.ClusterId}': {nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.ReplicationFactor)} is {factor}. Retry once {factor} such silos are active. Nothing was read or stored.");
            }

            await view.ClaimAsync(partition, chosen[0], chosen).ConfigureAwait(false);
            return Place(partition, compatibleSilos)
                ?? throw new WriteAheadLogUnavailableException(
                    $"Grain {grainId} is in partition {partition}, whose leader (replica {view.Row(partition)?.Leader}) is not an active silo now. Retry later. Nothing was read or stored.");
        }
        catch (ReplicaConfigurationStoreException ex)
        {
            throw new WriteAheadLogUnavailableException($"Placing grain {grainId} (partition {partition}) needs its partition's row in PostgreSQL, which could not be read or written: {ex.Message}. Retry later. Nothing was read or stored.", ex);
        }
    }

    /// <summary>Refreshes an aged view; when PostgreSQL cannot be read the cached view still places (a wrong guess costs a
    /// refused call, never a stale read), and a miss then refreshes again and fails naming PostgreSQL.</summary>
    private async Task RefreshIfReachableAsync(long seen)
    {
        try
        {
            await view.RefreshAsync(seen).ConfigureAwait(false);
        }
        catch (ReplicaConfigurationStoreException)
        {
        }
    }

    /// <summary>The address of the partition's leader when the view knows it and it is among <paramref name="compatibleSilos"/>.</summary>
    private SiloAddress? Place(int partition, SiloAddress[] compatibleSilos)
    {
        if (view.Row(partition) is not { } row || view.AddressOf(row.Leader) is not { } address)
        {
            return null;
        }

        SiloAddress leader = SiloAddress.FromParsableString(address);
        return Array.IndexOf(compatibleSilos, leader) >= 0 ? leader : null;
    }

    /// <summary>
    /// Up to <paramref name="count"/> replicas, among those served by <paramref name="compatibleSilos"/> (one per silo),
    /// by descending rendezvous hash for the partition (ties: lower number first); the first leads.
    /// </summary>
    private List<int> ChooseReplicas(int partition, SiloAddress[] compatibleSilos, int count)
    {
        var candidates = new List<(int Id, uint Hash)>();
        var silos = new HashSet<string>(StringComparer.Ordinal);
        foreach ((int id, string address) in view.Replicas.OrderBy(r => r.Key))
        {
            if (Array.IndexOf(compatibleSilos, SiloAddress.FromParsableString(address)) < 0 || !silos.Add(address))
            {
                continue;
            }

            candidates.Add((id, RendezvousHash(partition, id)));
        }

        return [.. candidates.OrderByDescending(c => c.Hash).ThenBy(c => c.Id).Take(count).Select(c => c.Id)];
    }

    /// <summary>XxHash32 (seed 0) of the partition and the replica number, each 4 bytes little-endian.</summary>
    internal static uint RendezvousHash(int partition, int replicaId)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, partition);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], replicaId);
        return XxHash32.HashToUInt32(bytes);
    }
}
