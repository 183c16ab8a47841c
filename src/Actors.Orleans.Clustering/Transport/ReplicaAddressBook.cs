using System.Collections.Immutable;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Replication.Configuration;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// Which silo serves each replica number: a cached copy of table <c>actors_orleans_replicas</c>
/// (<see cref="Storage.ClusterCatalog.ReadReplicasAsync"/>), read again in the background when a look-up finds no active
/// silo for a number, or when Orleans's membership changed since the last read (a restarted silo serves its replica
/// number at a new address).
/// </summary>
/// <remarks>Thread-safe. A look-up never waits for PostgreSQL: it answers from the cache (null when the cache names no
/// active silo) and schedules the read. Reads after a miss are at most one per <see cref="MissRefreshInterval"/>; a read
/// that fails is logged and the cache kept.</remarks>
internal sealed partial class ReplicaAddressBook(ClusterReplica replica, IClusterMembershipService membership, TimeProvider time, ILogger<ReplicaAddressBook> logger)
{
    /// <summary>The least time between two reads caused by misses.</summary>
    public static readonly TimeSpan MissRefreshInterval = TimeSpan.FromMilliseconds(500);

    private ImmutableDictionary<int, SiloAddress> _addresses = ImmutableDictionary<int, SiloAddress>.Empty;
    private long _readAtMembership = -1;
    private long _lastMissRead;
    private int _reading;

    /// <summary>The cached addresses.</summary>
    public IReadOnlyDictionary<int, SiloAddress> Known => Volatile.Read(ref _addresses);

    /// <summary>The active silo serving <paramref name="replicaId"/>, or null (a read of the table is then scheduled).</summary>
    public SiloAddress? Resolve(int replicaId)
    {
        ClusterMembershipSnapshot snapshot = membership.CurrentSnapshot;
        bool membershipChanged = snapshot.Version.Value != Interlocked.Read(ref _readAtMembership);
        if (Volatile.Read(ref _addresses).TryGetValue(replicaId, out SiloAddress? silo) && snapshot.GetSiloStatus(silo) == SiloStatus.Active)
        {
            if (membershipChanged)
            {
                StartRead(snapshot.Version.Value);
            }

            return silo;
        }

        long now = time.GetTimestamp();
        if (membershipChanged || time.GetElapsedTime(Interlocked.Read(ref _lastMissRead), now) >= MissRefreshInterval)
        {
            Interlocked.Exchange(ref _lastMissRead, now);
            StartRead(snapshot.Version.Value);
        }

        return null;
    }

    /// <summary>Reads the table now (the caller waits); false when PostgreSQL could not be read (logged).</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        long version = membership.CurrentSnapshot.Version.Value;
        Dictionary<int, string> rows;
        try
        {
            rows = await replica.Catalog.ReadReplicasAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicaConfigurationStoreException ex)
        {
            LogReadFailed(ex);
            return false;
        }

        var addresses = ImmutableDictionary.CreateBuilder<int, SiloAddress>();
        foreach ((int number, string text) in rows)
        {
            if (SiloAddress.TryParse(text, out SiloAddress? address))
            {
                addresses[number] = address;
            }
            else
            {
                LogUnparsable(number, text);
            }
        }

        Volatile.Write(ref _addresses, addresses.ToImmutable());
        Interlocked.Exchange(ref _readAtMembership, version);
        return true;
    }

    private void StartRead(long membershipVersion)
    {
        if (Interlocked.CompareExchange(ref _reading, 1, 0) != 0)
        {
            return;
        }

        // Marked as read at this version before the read, so concurrent look-ups do not queue more reads for it.
        Interlocked.Exchange(ref _readAtMembership, membershipVersion);
        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync().ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _reading, 0);
            }
        });
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "The replication transport could not read the replicas' silo addresses (table actors_orleans_replicas); it keeps the addresses it knew")]
    private partial void LogReadFailed(Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Replica {Replica} has the silo address '{Address}' in table actors_orleans_replicas, which is not an Orleans silo address: frames for it are dropped")]
    private partial void LogUnparsable(int replica, string address);
}
