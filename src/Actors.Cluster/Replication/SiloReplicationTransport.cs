using Actors.Cluster.Diagnostics;
using Actors.Cluster.Messaging;
using Actors.Replication;
using Actors.Replication.Messages;
using Actors.Replication.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Replication;

/// <summary>
/// Carries one partition's replication messages over the silo transport: each message is a
/// <see cref="SiloMessageType.Replication"/> request (<see cref="ReplicationFrame"/>) to the silo hosting the target
/// replica, whose <see cref="ReplicationInbox"/> hands it to that replica. Best effort, as the protocol expects: a
/// message to a replica with no known silo, an unreachable silo or a timeout is dropped (the protocol resends on its
/// heartbeat).
/// </summary>
/// <param name="transport">The silo's transport.</param>
/// <param name="partition">The partition whose replicas talk here.</param>
/// <param name="resolve">The silo hosting a replica now, or null when none is known.</param>
/// <param name="timeout">How long a send waits for the receiving silo's empty response.</param>
/// <param name="logger">Diagnostics.</param>
internal sealed partial class SiloReplicationTransport(
    ISiloTransport transport, int partition, Func<ReplicaId, SiloAddress?> resolve, TimeSpan timeout, ILogger logger) : IReplicationTransport
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
            await transport.SendAsync(target, SiloMessageType.Replication, frame, timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ReplicationInstruments.MessageDropped(message);
            // Unreachable, timed out, or refused by the receiver (whatever it rebuilt): lost, as the protocol allows;
            // it resends on the next heartbeat.
            LogDropped(logger, partition, to, target.ToString(), exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replication message of partition {Partition} to {Replica} at {Silo} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, int partition, ReplicaId replica, string silo, string reason);
}
