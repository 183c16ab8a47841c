using System.Buffers.Binary;
using Actors.Replication.Log;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// Checks, during the run: every acknowledgement names the entry its leader holds; no two different entries are
/// acknowledged at one offset; one replica leads (and acknowledges) per epoch; a new leader holds every entry
/// acknowledged so far; no read is served under a leader's read lease once another replica acknowledged in a later
/// epoch (a stale read). After healing: every replica's synced log is the same and holds every acknowledged entry.
/// </summary>
public sealed class InvariantChecker
{
    private readonly Simulation _simulation;

    /// <summary>What was acknowledged at each offset (index: offset - 1); request id 0 where nothing was (ids start at 1).</summary>
    private readonly List<(long RequestId, long Epoch)> _acknowledged = [];
    private int _acknowledgedCount;
    private readonly Dictionary<long, ReplicaId> _leaders = [];
    private readonly Dictionary<long, ReplicaId> _acknowledgingLeaders = [];
    private long _highestAcknowledgingEpoch;
    private (long Time, long Epoch, ReplicaId Replica)? _firstAcknowledgementInHighestEpoch;
    private (ReplicaId Cut, long Epoch)? _watchedCut;

    internal InvariantChecker(Simulation simulation) => _simulation = simulation;

    /// <summary>Appends acknowledged so far.</summary>
    public int AcknowledgedCount => _acknowledgedCount;

    /// <summary>Reads served under a read lease.</summary>
    public int ReadsServed { get; private set; }

    /// <summary>Epochs that have had a leader.</summary>
    public int LeaderCount => _leaders.Count;

    /// <summary>The replica that led <paramref name="epoch"/>, or null when none did (yet).</summary>
    public ReplicaId? LeaderOf(long epoch) => _leaders.TryGetValue(epoch, out var leader) ? leader : null;

    /// <summary>
    /// The first acknowledgement, since <see cref="WatchLinkCut"/>, by a replica other than the cut one in an epoch above
    /// the cut one's (null: none yet).
    /// </summary>
    public (long Time, long Epoch, ReplicaId Replica)? FirstAcknowledgementAcrossCut { get; private set; }

    /// <summary>Starts watching for an acknowledgement by a replica other than <paramref name="cut"/>, leader of <paramref name="epoch"/>.</summary>
    internal void WatchLinkCut(ReplicaId cut, long epoch)
    {
        _watchedCut = (cut, epoch);
        FirstAcknowledgementAcrossCut = null;
    }

    /// <summary>The payload that carries <paramref name="requestId"/>.</summary>
    public static ReadOnlyMemory<byte> Payload(long requestId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, requestId);
        return bytes;
    }

    /// <summary>The request id a payload carries.</summary>
    public static long RequestIdOf(LogEntry entry) => BinaryPrimitives.ReadInt64LittleEndian(entry.Payload.Span);

    internal void Acknowledged(SimulatedNode node, long requestId, long offset, long epoch)
    {
        var log = node.Replica!.Log;
        if (offset <= log.StartOffset || offset > log.EndOffset || RequestIdOf(log[offset]) != requestId || log[offset].Epoch != epoch)
        {
            Fail($"{node.Id} acknowledged request {requestId} at offset {offset} epoch {epoch}, but its log holds something else there");
        }

        var known = _acknowledgingLeaders.TryGetValue(epoch, out var other);
        if (known && other != node.Id)
        {
            Fail($"two replicas acknowledged in epoch {epoch}: {other} and {node.Id}");
        }

        if (!known)
        {
            var missing = FirstMissing(epoch, log.EndOffset, node.RequestIdAt);
            if (missing is { } gap)
            {
                Fail($"{node.Id} acknowledges in epoch {epoch} without entry {gap}");
            }
        }

        _acknowledgingLeaders[epoch] = node.Id;
        if (epoch > _highestAcknowledgingEpoch)
        {
            _highestAcknowledgingEpoch = epoch;
            _firstAcknowledgementInHighestEpoch = (_simulation.Clock.NowMicroseconds, epoch, node.Id);
        }

        while (_acknowledged.Count < offset)
        {
            _acknowledged.Add(default);
        }

        var earlier = _acknowledged[(int)offset - 1];
        if (earlier.RequestId != 0 && earlier.RequestId != requestId)
        {
            Fail($"offset {offset} acknowledged twice with different entries: request {earlier.RequestId} (epoch {earlier.Epoch}) and request {requestId} (epoch {epoch} by {node.Id})");
        }

        _acknowledgedCount += earlier.RequestId == 0 ? 1 : 0;
        _acknowledged[(int)offset - 1] = (requestId, epoch);
        if (_watchedCut is { } cut && node.Id != cut.Cut && epoch > cut.Epoch && FirstAcknowledgementAcrossCut is null)
        {
            FirstAcknowledgementAcrossCut = (_simulation.Clock.NowMicroseconds, epoch, node.Id);
        }
    }

    /// <summary>
    /// <paramref name="node"/>'s replica serves a read now under its read lease: no replica may have acknowledged
    /// anything in a later epoch (the read could miss it).
    /// </summary>
    internal void ReadServed(SimulatedNode node)
    {
        var epoch = node.Replica!.Epoch;
        if (_highestAcknowledgingEpoch > epoch && _firstAcknowledgementInHighestEpoch is { } later)
        {
            Fail($"stale read: {node.Id} served a read under its lease as leader of epoch {epoch}, but {later.Replica} "
                + $"acknowledged in epoch {later.Epoch} at t={later.Time / 1000.0:F3} ms");
        }

        ReadsServed++;
    }

    internal void AfterStep(SimulatedNode node)
    {
        if (node.Replica is null || !node.TookLeadership())
        {
            return;
        }

        var epoch = node.Replica.Epoch;
        if (_leaders.TryGetValue(epoch, out var other) && other != node.Id)
        {
            Fail($"two leaders in epoch {epoch}: {other} and {node.Id}");
        }

        _leaders[epoch] = node.Id;
        // Leader completeness: whatever was acknowledged in an earlier epoch is in the log of every later leader.
        // (A replica may still take an older epoch from a late store answer; it cannot acknowledge without its
        // successors, which is checked when it acknowledges.)
        var missing = FirstMissing(epoch, node.Replica.Log.EndOffset, node.RequestIdAt);
        if (missing is { } gap)
        {
            Fail($"{node.Id} became leader of epoch {epoch} without entry {gap}");
        }
    }

    /// <summary>
    /// Null when every replica's synced history (checkpoint, then log) is identical and holds every acknowledged entry;
    /// otherwise why not.
    /// </summary>
    internal string? Divergence(IReadOnlyList<SimulatedNode> nodes)
    {
        foreach (var node in nodes)
        {
            var disk = node.Disk;
            if (disk.DurableBase > disk.DurableCheckpoint.Offset)
            {
                return $"{node.Id}'s synced log starts at {disk.DurableBase + 1} above its checkpoint {disk.DurableCheckpoint.Offset}: entries are missing";
            }
        }

        var reference = nodes[0].Disk.DurableHistory()!;
        foreach (var node in nodes)
        {
            if (node.Disk.DurableEndOffset != reference.Length)
            {
                return $"{node.Id} has {node.Disk.DurableEndOffset} synced entries, {nodes[0].Id} has {reference.Length}";
            }

            var history = node.Disk.DurableHistory()!;
            var same = history.AsSpan().CommonPrefixLength(reference);
            if (same < history.Length)
            {
                return $"{node.Id} and {nodes[0].Id} differ at offset {same + 1}";
            }
        }

        var missing = FirstMissing(long.MaxValue, reference.Length, offset => reference[offset - 1]);
        return missing is null ? null : $"acknowledged entry {missing} is missing from every replica's synced log";
    }

    /// <summary>The first entry acknowledged in an epoch before <paramref name="beforeEpoch"/> that the log lacks.</summary>
    private string? FirstMissing(long beforeEpoch, long endOffset, Func<long, long> requestIdAt)
    {
        for (var i = 0; i < _acknowledged.Count; i++)
        {
            var (requestId, epoch) = _acknowledged[i];
            var offset = i + 1L;
            if (requestId != 0 && epoch < beforeEpoch && (offset > endOffset || requestIdAt(offset) != requestId))
            {
                return $"at offset {offset} (request {requestId}, acknowledged in epoch {epoch})";
            }
        }

        return null;
    }

    private void Fail(string message) =>
        throw new SimulationViolationException($"t={_simulation.Clock.NowMicroseconds / 1000.0:F3} ms: {message}");
}
