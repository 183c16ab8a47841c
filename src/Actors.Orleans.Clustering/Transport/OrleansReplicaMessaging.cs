using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Diagnostics;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Replication;
using Actors.Replication.Messages;
using Actors.Replication.Wal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// <see cref="IReplicaMessaging"/> over Orleans messaging: a frame (<see cref="ReplicationFrameCodec"/>) per message,
/// carried by a [OneWay] call to the <see cref="IReplicaFrameService"/> of the silo serving the addressed replica number.
/// </summary>
/// <remarks>
/// <para>Sending (any thread, never blocks, never throws for an unreachable peer): the addressed replica's silo comes from
/// <see cref="ReplicaAddressBook"/> (no active silo: dropped); the frame is encoded on the caller's thread and queued for
/// that silo (at most <see cref="OutboxCapacity"/> frames per silo; beyond: dropped); the queue is drained on this silo's
/// <see cref="ReplicaFrameService"/> scheduler, so the calls' source is this silo's system target. Orleans's links carry
/// the calls: encrypted when the silos' links use TLS.</para>
/// <para>Receiving (<see cref="Receive"/>): a frame is refused, counted and logged, never handed to a replica, unless its
/// caller is a silo's system target (not a client, not a grain), that silo is active in Orleans's membership, the frame
/// decodes, names this silo's ClusterId and names its caller as sender. An accepted frame addressed to another replica
/// number than this silo's, or for a partition with no registered replica here, is dropped.</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal sealed partial class OrleansReplicaMessaging : IReplicaMessaging
{
    /// <summary>The most frames queued for one peer silo; a frame beyond is dropped (the protocol resends).</summary>
    public const int OutboxCapacity = 1024;

    /// <summary>The most frames one scheduler turn sends before it lets other work of the silo run.</summary>
    public const int FramesPerTurn = 256;

    private readonly ConcurrentDictionary<int, Action<ReplicationMessage>> _handlers = new();
    private readonly ConcurrentDictionary<SiloAddress, PeerOutbox> _outboxes = new();
    private readonly ClusterReplica _replica;
    private readonly ReplicaAddressBook _addresses;
    private readonly ReplicaFrameServiceClient _client;
    private readonly IClusterMembershipService _membership;
    private readonly ILogger _logger;
    private readonly string _clusterId;
    private ReplicaFrameService? _service;
    private ReplicationFrameSender? _sender;
    private readonly KnownFrameSenders _knownSenders;
    private long _sent;
    private long _received;
    private long _delivered;
    private long _dropped;
    private long _refused;

    public OrleansReplicaMessaging(
        ClusterReplica replica,
        ReplicaAddressBook addresses,
        ReplicaFrameServiceClient client,
        IClusterMembershipService membership,
        IOptions<ClusterOptions> cluster,
        ILogger<OrleansReplicaMessaging> logger)
    {
        _replica = replica;
        _addresses = addresses;
        _client = client;
        _membership = membership;
        _logger = logger;
        _clusterId = cluster.Value.ClusterId;
        _knownSenders = new KnownFrameSenders(_clusterId);
    }

    /// <summary>What this silo's transport counted so far.</summary>
    public ReplicaMessagingCounts Counts => new(
        Interlocked.Read(ref _sent), Interlocked.Read(ref _received), Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped), Interlocked.Read(ref _refused));

    /// <summary>The silo addresses known for the replica numbers.</summary>
    public ReplicaAddressBook Addresses => _addresses;

    /// <inheritdoc />
    public IReplicationTransport For(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        return new PartitionTransport(this, partition);
    }

    /// <inheritdoc />
    public void Register(int partition, Action<ReplicationMessage> deliver)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentNullException.ThrowIfNull(deliver);
        if (!_handlers.TryAdd(partition, deliver))
        {
            throw new InvalidOperationException($"A replica of partition {partition} is registered with this silo's replication transport already: unregister it first.");
        }
    }

    /// <inheritdoc />
    public void Unregister(int partition) => _handlers.TryRemove(partition, out _);

    /// <summary>Called by the grain service Orleans created for this silo: frames are sent from its scheduler.</summary>
    public void Attach(ReplicaFrameService service) => Volatile.Write(ref _service, service);

    /// <summary>Sends <paramref name="message"/> of <paramref name="partition"/> to the silo serving replica <paramref name="to"/> (best effort).</summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not the message's sender.</exception>
    public void Send(int partition, ReplicaId from, ReplicaId to, ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_addresses.Resolve(to.Value) is not { } target)
        {
            Drop(DropReason.NoRoute, partition, to.Value);
            return;
        }

        byte[] frame = ReplicationFrameCodec.Encode(Sender(), partition, from.Value, to.Value, message);
        SendFrame(target, frame, partition, to.Value);
    }

    /// <summary>Queues encoded <paramref name="frame"/> for <paramref name="target"/> (best effort; tests send crafted frames through it).</summary>
    /// <remarks>Ownership: <paramref name="frame"/> passes to the transport and is never written again, by the caller or
    /// anyone: Orleans serializes this very array after the call that carries it returns (<see cref="IReplicaFrameService.Receive"/>
    /// takes it as immutable, without a copy). A frame is therefore always an array of its own, never a pooled buffer.</remarks>
    public void SendFrame(SiloAddress target, byte[] frame, int partition, int replicaId)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(frame);
        if (Volatile.Read(ref _service) is not { } service)
        {
            Drop(DropReason.NotStarted, partition, replicaId);
            return;
        }

        PeerOutbox outbox = _outboxes.GetOrAdd(target, static silo => new PeerOutbox(silo, OutboxCapacity));
        if (!outbox.TryEnqueue(frame))
        {
            Drop(DropReason.Overflow, partition, replicaId);
            return;
        }

        if (outbox.TryClaimDrain())
        {
            service.SendFrom(() => Drain(service, outbox));
        }
    }

    /// <summary>Takes a frame that arrived from <paramref name="source"/> (the call's source as Orleans saw it).</summary>
    public void Receive(byte[]? bytes, GrainId? source)
    {
        if (source is not { } caller || caller.IsClient() || !SystemTargetGrainId.TryParse(caller, out SystemTargetGrainId target))
        {
            Refuse(RefuseReason.NotASilo);
            LogRefusedCaller(source?.ToString() ?? "(no source)");
            return;
        }

        SiloAddress silo = target.GetSiloAddress();
        if (_membership.CurrentSnapshot.GetSiloStatus(silo) != SiloStatus.Active)
        {
            Refuse(RefuseReason.NotMember);
            LogRefusedNotMember(silo);
            return;
        }

        ReplicationFrame frame;
        try
        {
            // The array is this frame's own (Orleans deserialized it; nobody writes it): entries' payloads are slices of it.
            frame = ReplicationFrameCodec.DecodeSlicing(bytes, _knownSenders);
        }
        catch (MalformedReplicationFrameException ex)
        {
            Refuse(RefuseReason.Malformed);
            LogRefusedMalformed(silo, bytes?.Length ?? 0, ex);
            return;
        }

        if (!string.Equals(frame.ClusterId, _clusterId, StringComparison.Ordinal))
        {
            Refuse(RefuseReason.OtherCluster);
            LogRefusedOtherCluster(silo, frame.ClusterId, _clusterId);
            return;
        }

        if (!frame.SenderSilo.Equals(silo))
        {
            Refuse(RefuseReason.NotMember);
            LogRefusedImpersonation(frame.SenderSilo, silo);
            return;
        }

        Interlocked.Increment(ref _received);
        ClusteringInstruments.FrameReceived();
        if (!TryGetOwnReplica(out int own))
        {
            Drop(DropReason.NotStarted, frame.Partition, frame.TargetReplica);
            return;
        }

        if (frame.TargetReplica != own)
        {
            Drop(DropReason.WrongReplica, frame.Partition, frame.TargetReplica);
            return;
        }

        if (!_handlers.TryGetValue(frame.Partition, out Action<ReplicationMessage>? deliver))
        {
            Drop(DropReason.Unregistered, frame.Partition, frame.TargetReplica);
            return;
        }

        try
        {
            deliver(frame.Message);
            Interlocked.Increment(ref _delivered);
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(frame.Partition, frame.SenderReplica, ex);
        }
    }

    private void Drain(ReplicaFrameService service, PeerOutbox outbox)
    {
        do
        {
            IReplicaFrameService peer = _client.On(outbox.Silo);
            for (int i = 0; i < FramesPerTurn; i++)
            {
                if (!outbox.TryDequeue(out byte[] frame))
                {
                    break;
                }

                try
                {
                    Task sent = peer.Receive(frame);
                    if (sent.IsFaulted)
                    {
                        throw sent.Exception.InnerException ?? sent.Exception;
                    }

                    Interlocked.Increment(ref _sent);
                    ClusteringInstruments.FrameSent();
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref _dropped);
                    ClusteringInstruments.FrameDropped(DropReason.SendFailed);
                    LogSendFailed(outbox.Silo, ex);
                }

                if (i == FramesPerTurn - 1)
                {
                    // Another turn for the rest, so that other work of this silo's scheduler is not held up.
                    service.SendFrom(() => Drain(service, outbox));
                    return;
                }
            }
        }
        while (outbox.ReleaseDrain());
    }

    /// <summary>This silo's sender fields, encoded on first use (a race encodes them twice, to equal values).</summary>
    private ReplicationFrameSender Sender()
    {
        if (Volatile.Read(ref _sender) is { } sender && sender.Silo.Equals(_replica.SiloAddress))
        {
            return sender;
        }

        sender = new ReplicationFrameSender(_clusterId, _replica.SiloAddress);
        Volatile.Write(ref _sender, sender);
        return sender;
    }

    private bool TryGetOwnReplica(out int id)
    {
        try
        {
            id = _replica.Id;
            return true;
        }
        catch (InvalidOperationException)
        {
            id = 0;
            return false;
        }
    }

    private void Drop(string reason, int partition, int replicaId)
    {
        Interlocked.Increment(ref _dropped);
        ClusteringInstruments.FrameDropped(reason);
        LogDropped(partition, replicaId, reason);
    }

    private void Refuse(string reason)
    {
        Interlocked.Increment(ref _refused);
        ClusteringInstruments.FrameRefused(reason);
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Refused a replication frame from {Source}: only the replication transport of a silo of this cluster sends frames (not a client, not a grain)")]
    private partial void LogRefusedCaller(string source);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Refused a replication frame from silo {Silo}: Orleans's membership does not list it as an active silo of this cluster")]
    private partial void LogRefusedNotMember(SiloAddress silo);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Refused a malformed replication frame of {Length} bytes from silo {Silo}")]
    private partial void LogRefusedMalformed(SiloAddress silo, int length, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Refused a replication frame from silo {Silo} for cluster {FrameClusterId}: this silo is in cluster {ClusterId}")]
    private partial void LogRefusedOtherCluster(SiloAddress silo, string frameClusterId, string clusterId);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Refused a replication frame that names silo {FrameSilo} as its sender but was sent by silo {Caller}")]
    private partial void LogRefusedImpersonation(SiloAddress frameSilo, SiloAddress caller);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "Dropped a replication frame of partition {Partition} for replica {Replica}: {Reason}")]
    private partial void LogDropped(int partition, int replica, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "The replica of partition {Partition} failed to take a replication message from replica {From}")]
    private partial void LogDeliveryFailed(int partition, int from, Exception exception);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Orleans did not take a replication frame for silo {Silo}: dropped")]
    private partial void LogSendFailed(SiloAddress silo, Exception exception);

    private static class DropReason
    {
        public const string NoRoute = "no_route";
        public const string Overflow = "overflow";
        public const string NotStarted = "not_started";
        public const string SendFailed = "send_failed";
        public const string WrongReplica = "wrong_replica";
        public const string Unregistered = "unregistered";
    }

    private static class RefuseReason
    {
        public const string NotASilo = "not_a_silo";
        public const string NotMember = "not_member";
        public const string OtherCluster = "other_cluster";
        public const string Malformed = "malformed";
    }
}
