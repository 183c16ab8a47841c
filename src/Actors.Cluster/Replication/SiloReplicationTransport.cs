using Actors.Cluster.Diagnostics;
using Actors.Cluster.Messaging;
using Actors.Replication;
using Actors.Replication.Messages;
using Actors.Replication.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Replication;

/// <summary>
/// Carries one partition's replication messages over the silo transport: each message is a one-way
/// <see cref="SiloMessageType.Replication"/> message (<see cref="ReplicationFrame"/>, <see cref="ISiloTransport.PostAsync"/>)
/// to the silo hosting the target replica, whose <see cref="ReplicationInbox"/> hands it to that replica on the
/// connection's read loop. Nothing answers it: the protocol's own messages (an append's acceptance) are the answers. Best
/// effort, as the protocol expects: a message to a replica with no known silo, an unreachable silo or a full connection
/// outbox is dropped (the protocol resends on its heartbeat).
/// </summary>
/// <param name="transport">The silo's transport.</param>
/// <param name="partition">The partition whose replicas talk here.</param>
/// <param name="resolve">The silo hosting a replica now, or null when none is known.</param>
/// <param name="logger">Diagnostics.</param>
internal sealed partial class SiloReplicationTransport(
    ISiloTransport transport, int partition, Func<ReplicaId, SiloAddress?> resolve, ILogger logger) : IReplicationTransport
{
    /// <inheritdoc />
    public void Send(ReplicaId from, ReplicaId to, ReplicationMessage message)
    {
        if (resolve(to) is not { } target)
        {
            return;
        }

        ReplicationInstruments.MessageSent(message);
        _ = SendAsync(target, to, message, ReplicationFrame.Write(partition, from, to, message));
    }

    private async Task SendAsync(SiloAddress target, ReplicaId to, ReplicationMessage message, byte[] frame)
    {
        try
        {
            await transport.PostAsync(target, SiloMessageType.Replication, frame, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ReplicationInstruments.MessageDropped(message);
            // Unreachable or a full outbox: lost, as the protocol allows; it resends on the next heartbeat.
            LogDropped(logger, partition, to, target.ToString(), exception.Message);
        }
    }

    [LoggerMessage(EventId = 4922, Level = LogLevel.Debug, Message = "Replication message of partition {Partition} to {Replica} at {Silo} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, int partition, ReplicaId replica, string silo, string reason);
}
