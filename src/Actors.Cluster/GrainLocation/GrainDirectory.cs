using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Partitioning;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.GrainLocation;

/// <summary>
/// The grain directory for grains that are not bound to a partition's log: at most one activation per grain cluster-wide,
/// including while silos join, leave and die.
/// </summary>
/// <remarks>
/// <para>
/// The directory is partitioned like grains are (same partition function); each partition's range is owned by one Active
/// silo chosen by rendezvous hashing over the view (<see cref="DirectoryOwners"/>). The entries are soft state: a silo
/// that gains a range does not serve it before it has <em>collected</em> the registrations of that range from every live
/// silo, and every silo that answers a collect remembers the collector and its view.
/// </para>
/// <para>
/// A silo activates a grain only after it <em>registered</em> itself with the range's owner and accepted the grant. It
/// accepts a grant only if the granter is the range owner it knows of (from its view or from the latest collect it
/// answered) and the grant's view is not older than that collect. So an owner that lost the range cannot hand out a grant
/// that a newer owner's collect did not see: either the grant was accepted before the collect (and the collect reports
/// it) or it is refused after (and the silo registers again with the new owner). Activations of dead silos are ignored,
/// which is safe because a silo stops serving before the store can consider its lease expired.
/// </para>
/// </remarks>
internal sealed partial class GrainDirectory
{
    private readonly MembershipAgent _membership;
    private readonly ISiloTransport _transport;
    private readonly ClusterOptions _options;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly Dictionary<GrainId, Guid> _registrations = [];
    private long[] _collectView = [];
    private string?[] _collectOwner = [];
    private DirectoryOwners? _owners;

    public GrainDirectory(MembershipAgent membership, ISiloTransport transport, ClusterOptions options, ILogger logger)
    {
        _membership = membership;
        _transport = transport;
        _options = options;
        _logger = logger;
    }

    private string Me => _membership.Name;

    /// <summary>Sizes the tables for the cluster's partition count.</summary>
    public void Start(int partitionCount)
    {
        lock (_lock)
        {
            _collectView = new long[partitionCount];
            _collectOwner = new string?[partitionCount];
            _ranges = new OwnedRange?[partitionCount];
        }
    }

    /// <summary>Whether this silo holds an accepted registration for <paramref name="grainId"/> (its activation may run here).</summary>
    public bool IsRegisteredHere(GrainId grainId)
    {
        lock (_lock)
        {
            return _registrations.ContainsKey(grainId);
        }
    }

    /// <summary>The number of grains registered to this silo.</summary>
    public int RegisteredCount
    {
        get
        {
            lock (_lock)
            {
                return _registrations.Count;
            }
        }
    }

    /// <summary>Where <paramref name="grainId"/> is activated, or null when nowhere (by its range owner).</summary>
    public async Task<DirectoryEntry?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        int partition = PartitionOf(grainId);
        for (int attempt = 0; ; attempt++)
        {
            (string owner, long view) = OwnerOf(partition);
            DirectoryReply reply = string.Equals(owner, Me, StringComparison.Ordinal)
                ? await LookupOwnedAsync(grainId, view, cancellationToken)
                : await SendToOwnerAsync(owner, partition, SiloMessageType.DirectoryLookup, DirectoryRequests.Lookup(grainId, view), cancellationToken);
            switch (reply.Status)
            {
                case DirectoryStatus.Done:
                    return reply.Entry;
                case DirectoryStatus.Other:
                    return null;
                default:
                    await AfterNotOwnerAsync(attempt, reply, grainId, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>
    /// Registers this silo as the activator of <paramref name="grainId"/>. Returns null when the registration was granted
    /// and accepted (the grain may activate here), else the live activation elsewhere.
    /// </summary>
    public async Task<DirectoryEntry?> RegisterHereAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        int partition = PartitionOf(grainId);
        var entry = new DirectoryEntry(Me, _membership.Incarnation, Guid.NewGuid());
        for (int attempt = 0; ; attempt++)
        {
            if (IsRegisteredHere(grainId))
            {
                return null;
            }

            (string owner, long view) = OwnerOf(partition);
            DirectoryReply reply = string.Equals(owner, Me, StringComparison.Ordinal)
                ? await RegisterOwnedAsync(grainId, entry, view, cancellationToken)
                : await SendToOwnerAsync(owner, partition, SiloMessageType.DirectoryRegister, DirectoryRequests.Register(grainId, entry, view), cancellationToken);
            switch (reply.Status)
            {
                case DirectoryStatus.Done when TryAccept(grainId, entry.ActivationId, reply.Owner, reply.View):
                    return null;
                case DirectoryStatus.Done:
                    // Granted by an owner this silo no longer recognizes: register again with the current one.
                    await _membership.RefreshAsync(cancellationToken);
                    break;
                case DirectoryStatus.Other:
                    return reply.Entry;
                default:
                    await AfterNotOwnerAsync(attempt, reply, grainId, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>An activation registered here left the catalog: drop the registration and remove the entry (best effort).</summary>
    public void OnDeactivated(GrainId grainId)
    {
        Guid activationId;
        lock (_lock)
        {
            if (!_registrations.Remove(grainId, out activationId))
            {
                return;
            }
        }

        _ = UnregisterAsync(grainId, new DirectoryEntry(Me, _membership.Incarnation, activationId));
    }

    /// <summary>Answers a collect from a (new) range owner: remembers it, returns this silo's registrations in those ranges.</summary>
    public byte[] HandleCollect(byte[] payload)
    {
        (long view, string owner, int[] partitions) = DirectoryRequests.DecodeCollect(payload);
        return DirectoryRequests.CollectReply(Collect(view, owner, partitions));
    }

    private List<(GrainId, Guid)> Collect(long view, string owner, IReadOnlyCollection<int> partitions)
    {
        var wanted = new HashSet<int>(partitions);
        lock (_lock)
        {
            foreach (int p in wanted)
            {
                if (p >= 0 && p < _collectView.Length && view >= _collectView[p])
                {
                    _collectView[p] = view;
                    _collectOwner[p] = owner;
                }
            }

            return _registrations.Where(r => wanted.Contains(PartitionOf(r.Key))).Select(r => (r.Key, r.Value)).ToList();
        }
    }

    private bool TryAccept(GrainId grainId, Guid activationId, string granter, long grantView)
    {
        int partition = PartitionOf(grainId);
        lock (_lock)
        {
            (string owner, _) = OwnerOfLocked(partition);
            if (!string.Equals(owner, granter, StringComparison.Ordinal) || grantView < _collectView[partition])
            {
                LogGrantRefused(_logger, grainId, granter, grantView, owner, _collectView[partition]);
                return false;
            }

            _registrations[grainId] = activationId;
            return true;
        }
    }

    /// <summary>The owner of a partition's range as this silo knows it: the newer of its view's owner and the latest collector.</summary>
    private (string Owner, long View) OwnerOf(int partition)
    {
        lock (_lock)
        {
            return OwnerOfLocked(partition);
        }
    }

    private (string Owner, long View) OwnerOfLocked(int partition)
    {
        DirectoryOwners owners = Owners();
        string? fromView = owners[partition];
        if (_collectOwner[partition] is { } collector && _collectView[partition] > owners.View)
        {
            return (collector, _collectView[partition]);
        }

        return fromView is null
            ? throw new SiloUnavailableException("No silo of the cluster is Active: the grain directory has no owner.")
            : (fromView, owners.View);
    }

    private DirectoryOwners Owners()
    {
        ClusterSnapshot snapshot = _membership.Current ?? throw new SiloUnavailableException("This silo has not joined its cluster yet.");
        DirectoryOwners? owners = _owners;
        if (owners is null || owners.View < snapshot.TableVersion)
        {
            owners = DirectoryOwners.Compute(snapshot);
        }

        return owners;
    }

    private int PartitionOf(GrainId grainId) => PartitionMap.GetPartition(grainId, _collectView.Length);

    /// <summary>
    /// Sends a register or lookup to the range owner this silo knows of. An owner that is not in the table even after a
    /// fresh read cannot own the range: its collect record is dropped and the reply is <see cref="DirectoryStatus.NotOwner"/>,
    /// so the caller settles on the owner of its (refreshed) view instead of failing the grain call.
    /// </summary>
    private async Task<DirectoryReply> SendToOwnerAsync(string owner, int partition, SiloMessageType type, byte[] payload, CancellationToken cancellationToken)
    {
        SiloRecord? row = await FindOwnerRowAsync(owner, cancellationToken);
        if (row is null)
        {
            lock (_lock)
            {
                if (string.Equals(_collectOwner[partition], owner, StringComparison.Ordinal))
                {
                    _collectOwner[partition] = null;
                }
            }

            LogOwnerNotInView(_logger, owner, partition);
            return new DirectoryReply(DirectoryStatus.NotOwner, owner, 0, null);
        }

        return DirectoryReply.Decode(await _transport.SendAsync(new SiloAddress(row.Name, row.Incarnation, row.SiloEndpoint), type, payload, _options.ControlRequestTimeout, cancellationToken));
    }

    /// <summary>The owner's row; the owner may be known from a collect by a silo that joined after this silo's last table read, so the table is read again before giving up.</summary>
    private async Task<SiloRecord?> FindOwnerRowAsync(string owner, CancellationToken cancellationToken)
        => _membership.Current?.FindSilo(owner) ?? (await _membership.RefreshAsync(cancellationToken)).FindSilo(owner);

    private async Task AfterNotOwnerAsync(int attempt, DirectoryReply reply, GrainId grainId, CancellationToken cancellationToken)
    {
        if (attempt >= 20)
        {
            throw new SiloUnavailableException($"The grain directory range of {grainId} has no settled owner (last answer from '{reply.Owner}' at view {reply.View}).");
        }

        ClusterSnapshot before = _membership.Current!;
        ClusterSnapshot after = await _membership.RefreshAsync(cancellationToken);
        if (after.TableVersion == before.TableVersion)
        {
            await Task.Delay(_options.LeaseRenewPeriod / 5, cancellationToken);
        }
    }

    private async Task UnregisterAsync(GrainId grainId, DirectoryEntry entry)
    {
        try
        {
            (string owner, _) = OwnerOf(PartitionOf(grainId));
            if (string.Equals(owner, Me, StringComparison.Ordinal))
            {
                UnregisterOwned(grainId, entry);
            }
            else
            {
                SiloRecord row = await FindOwnerRowAsync(owner, CancellationToken.None)
                    ?? throw new SiloUnavailableException($"Directory owner '{owner}' is not in this silo's view.");
                await _transport.SendAsync(new SiloAddress(row.Name, row.Incarnation, row.SiloEndpoint), SiloMessageType.DirectoryUnregister,
                    DirectoryRequests.Unregister(grainId, entry), _options.ControlRequestTimeout, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is SiloUnreachableException or SiloUnavailableException or TimeoutException)
        {
            // A stale entry is harmless: callers forwarded here find no activation and register again.
            LogUnregisterFailed(_logger, grainId, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4600, Level = LogLevel.Debug, Message = "Directory grant for {GrainId} from {Granter} (view {GrantView}) refused: the range owner here is {Owner}, collected at view {CollectView}")]
    private static partial void LogGrantRefused(ILogger logger, GrainId grainId, string granter, long grantView, string owner, long collectView);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "Directory range owner {Owner} of partition {Partition} (known from a collect) is not in the cluster table: asking the owner of this silo's view instead")]
    private static partial void LogOwnerNotInView(ILogger logger, string owner, int partition);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Debug, Message = "Directory unregistration of {GrainId} not delivered: {Reason}")]
    private static partial void LogUnregisterFailed(ILogger logger, GrainId grainId, string reason);
}
