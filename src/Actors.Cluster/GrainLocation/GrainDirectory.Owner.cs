using Actors.Cluster.Diagnostics;
using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Partitioning;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.GrainLocation;

/// <content>The owner side: the ranges this silo owns, their recovery by collect, and the register/lookup/unregister handlers.</content>
internal sealed partial class GrainDirectory
{
    private OwnedRange?[] _ranges = [];
    private long _processedView;

    /// <summary>
    /// Takes a new view: ranges this silo stopped owning are dropped, ranges it started owning are recovered (collected from
    /// every live silo) before they answer.
    /// </summary>
    public void OnViewChanged(ClusterSnapshot snapshot)
    {
        DirectoryOwners owners = DirectoryOwners.Compute(snapshot);
        var gained = new List<int>();
        lock (_lock)
        {
            if (_processedView >= snapshot.TableVersion)
            {
                // An older (or the same) view arriving late must not undo a newer one.
                return;
            }

            _processedView = snapshot.TableVersion;
            _owners = owners;
            for (int p = 0; p < _ranges.Length; p++)
            {
                bool mine = string.Equals(owners[p], Me, StringComparison.Ordinal);
                if (!mine)
                {
                    // Release whoever waits for the range's recovery: they find it gone and answer "not the owner".
                    _ranges[p]?.Ready.TrySetResult();
                    _ranges[p] = null;
                }
                else if (_ranges[p] is null)
                {
                    _ranges[p] = new OwnedRange(owners.View);
                    gained.Add(p);
                }
            }
        }

        if (gained.Count > 0)
        {
            LogGained(_logger, Me, string.Join(",", gained), snapshot.TableVersion, string.Join(",", snapshot.Silos.Where(s => s.IsLive).Select(s => s.Name)));
            _ = RecoverAsync(snapshot, gained);
        }
    }

    /// <summary>Serves a register request from another silo.</summary>
    public async Task<byte[]> HandleRegisterAsync(byte[] payload, CancellationToken cancellationToken)
    {
        ClusterInstruments.DirectoryRequest(SiloMessageType.DirectoryRegister);
        (GrainId grainId, DirectoryEntry entry, long view) = DirectoryRequests.DecodeRegister(payload);
        return (await RegisterOwnedAsync(grainId, entry, view, cancellationToken)).Encode();
    }

    /// <summary>Serves a lookup request from another silo.</summary>
    public async Task<byte[]> HandleLookupAsync(byte[] payload, CancellationToken cancellationToken)
    {
        ClusterInstruments.DirectoryRequest(SiloMessageType.DirectoryLookup);
        (GrainId grainId, long view) = DirectoryRequests.DecodeLookup(payload);
        return (await LookupOwnedAsync(grainId, view, cancellationToken)).Encode();
    }

    /// <summary>Serves an unregister request from another silo.</summary>
    public byte[] HandleUnregister(byte[] payload)
    {
        ClusterInstruments.DirectoryRequest(SiloMessageType.DirectoryUnregister);
        (GrainId grainId, DirectoryEntry entry) = DirectoryRequests.DecodeUnregister(payload);
        UnregisterOwned(grainId, entry);
        return [];
    }

    private async Task<DirectoryReply> RegisterOwnedAsync(GrainId grainId, DirectoryEntry entry, long requesterView, CancellationToken cancellationToken)
    {
        OwnedRange? range = await ReadyRangeAsync(grainId, requesterView, cancellationToken);
        if (range is null)
        {
            return NotOwner();
        }

        lock (range)
        {
            if (range.Entries.TryGetValue(grainId, out DirectoryEntry existing)
                && !(string.Equals(existing.Silo, entry.Silo, StringComparison.Ordinal) && existing.Incarnation == entry.Incarnation)
                && IsLive(existing))
            {
                return new DirectoryReply(DirectoryStatus.Other, Me, range.View, existing);
            }

            range.Entries[grainId] = entry;
            return new DirectoryReply(DirectoryStatus.Done, Me, range.View, entry);
        }
    }

    private async Task<DirectoryReply> LookupOwnedAsync(GrainId grainId, long requesterView, CancellationToken cancellationToken)
    {
        OwnedRange? range = await ReadyRangeAsync(grainId, requesterView, cancellationToken);
        if (range is null)
        {
            return NotOwner();
        }

        lock (range)
        {
            return range.Entries.TryGetValue(grainId, out DirectoryEntry existing) && IsLive(existing)
                ? new DirectoryReply(DirectoryStatus.Done, Me, range.View, existing)
                : new DirectoryReply(DirectoryStatus.Other, Me, range.View, null);
        }
    }

    private void UnregisterOwned(GrainId grainId, DirectoryEntry entry)
    {
        OwnedRange? range;
        lock (_lock)
        {
            int p = PartitionOf(grainId);
            range = p < _ranges.Length ? _ranges[p] : null;
        }

        if (range is null)
        {
            return;
        }

        lock (range)
        {
            if (range.Entries.TryGetValue(grainId, out DirectoryEntry existing) && existing == entry)
            {
                range.Entries.Remove(grainId);
            }
        }
    }

    /// <summary>The range of <paramref name="grainId"/> once it is recovered, or null when this silo does not own it (after catching up with a newer requester).</summary>
    private async Task<OwnedRange?> ReadyRangeAsync(GrainId grainId, long requesterView, CancellationToken cancellationToken)
    {
        int partition = PartitionOf(grainId);
        if (_membership.Current is { } current)
        {
            if (requesterView > current.TableVersion)
            {
                current = await _membership.RefreshAsync(cancellationToken);
            }

            OnViewChanged(current);
        }

        if (!_membership.Lease.IsValid)
        {
            return null;
        }

        OwnedRange? range;
        lock (_lock)
        {
            range = _ranges[partition];
            if (range is not null && _collectView[partition] > range.View && !string.Equals(_collectOwner[partition], Me, StringComparison.Ordinal))
            {
                // A newer owner already collected this range from this silo: it is no longer this silo's to serve.
                return null;
            }
        }

        if (range is null)
        {
            return null;
        }

        try
        {
            await range.Ready.Task.WaitAsync(_options.ControlRequestTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new SiloUnavailableException($"The grain directory range of partition {partition} on silo '{Me}' is still being recovered after {_options.ControlRequestTimeout}.");
        }

        lock (_lock)
        {
            return ReferenceEquals(_ranges[partition], range) ? range : null;
        }
    }

    private DirectoryReply NotOwner() => new(DirectoryStatus.NotOwner, Me, _membership.Current?.TableVersion ?? 0, null);

    private bool IsLive(DirectoryEntry entry)
        => _membership.Current?.FindSilo(entry.Silo) is { IsLive: true } row && row.Incarnation == entry.Incarnation;

    private async Task RecoverAsync(ClusterSnapshot snapshot, List<int> partitions)
    {
        long view = snapshot.TableVersion;
        SiloRecord[] live = snapshot.Silos.Where(s => s.IsLive).ToArray();
        Task[] collects = live.Select(silo => CollectFromAsync(silo, view, partitions)).ToArray();
        await Task.WhenAll(collects);
        lock (_lock)
        {
            foreach (int p in partitions)
            {
                if (_ranges[p] is { } range && range.View == view)
                {
                    range.Ready.TrySetResult();
                }
            }
        }

        LogRecovered(_logger, partitions.Count, view, live.Length);
    }

    private async Task CollectFromAsync(SiloRecord silo, long view, List<int> partitions)
    {
        while (true)
        {
            if (!StillRecovering(view, partitions))
            {
                return;
            }

            try
            {
                (GrainId GrainId, Guid ActivationId)[] registrations = string.Equals(silo.Name, Me, StringComparison.Ordinal)
                    ? [.. Collect(view, Me, partitions)]
                    : DirectoryRequests.DecodeCollectReply(await _transport.SendAsync(
                        new SiloAddress(silo.Name, silo.Incarnation, silo.SiloEndpoint), SiloMessageType.DirectoryCollect,
                        DirectoryRequests.Collect(view, Me, partitions), _options.ControlRequestTimeout, CancellationToken.None));
                Merge(view, silo, registrations);
                return;
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                // Until the silo answers or is declared dead, its registrations could be live: keep the range closed.
                if (_membership.Current?.FindSilo(silo.Name) is not { IsLive: true } row || row.Incarnation != silo.Incarnation)
                {
                    return;
                }

                LogCollectRetry(_logger, silo.Name, view, ex.Message);
                await Task.Delay(_options.LeaseRenewPeriod);
            }
        }
    }

    private bool StillRecovering(long view, List<int> partitions)
    {
        lock (_lock)
        {
            return partitions.Any(p => _ranges[p] is { } range && range.View == view && !range.Ready.Task.IsCompleted);
        }
    }

    private void Merge(long view, SiloRecord silo, (GrainId GrainId, Guid ActivationId)[] registrations)
    {
        foreach ((GrainId grainId, Guid activationId) in registrations)
        {
            OwnedRange? range;
            lock (_lock)
            {
                range = _ranges[PartitionOf(grainId)];
            }

            if (range is null || range.View != view)
            {
                continue;
            }

            lock (range)
            {
                var entry = new DirectoryEntry(silo.Name, silo.Incarnation, activationId);
                if (range.Entries.TryGetValue(grainId, out DirectoryEntry other) && other != entry && IsLive(other))
                {
                    LogDuplicateActivation(_logger, grainId, other.Silo, silo.Name);
                    continue;
                }

                range.Entries[grainId] = entry;
            }
        }
    }

    private sealed class OwnedRange(long view)
    {
        public long View { get; } = view;

        public Dictionary<GrainId, DirectoryEntry> Entries { get; } = [];

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 4613, Level = LogLevel.Debug, Message = "{Silo} gained directory ranges {Partitions} at view {View}; collecting from {Silos}")]
    private static partial void LogGained(ILogger logger, string silo, string partitions, long view, string silos);

    [LoggerMessage(EventId = 4610, Level = LogLevel.Debug, Message = "Recovered {Count} directory ranges at view {View} from {Silos} live silos")]
    private static partial void LogRecovered(ILogger logger, int count, long view, int silos);

    [LoggerMessage(EventId = 4611, Level = LogLevel.Debug, Message = "Directory collect from {Silo} at view {View} failed ({Reason}); retrying until it answers or is declared dead")]
    private static partial void LogCollectRetry(ILogger logger, string silo, long view, string reason);

    [LoggerMessage(EventId = 4612, Level = LogLevel.Error, Message = "Directory recovery found {GrainId} registered on both {First} and {Second}; keeping the first")]
    private static partial void LogDuplicateActivation(ILogger logger, GrainId grainId, string first, string second);
}
