using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Protocol;
using Actors.Wal.Entries;

namespace Actors.Replication.Wal;

public sealed partial class ReplicaHost
{
    /// <summary>
    /// What the replica asks of the world, carried out on the driver loop: disk operations on the <see cref="EntryLog"/>
    /// (writes and truncations at once; the sync after the burst; checkpoint writes, prefix deletions and installs durable
    /// when they return, stronger than the protocol asks), messages through the transport (a checkpoint as checksummed
    /// chunks), store calls whose answers come back as queued work.
    /// </summary>
    private sealed class Environment(ReplicaHost host) : IReplicaCheckpointEnvironment
    {
        public void Send(ReplicaId to, ReplicationMessage message)
        {
            if (message is InstallCheckpoint install)
            {
                host.SendCheckpoint(to, install);
                return;
            }

            host._counting.MessageSent();
            if (message is AppendRequest request)
            {
                host._counting.EntriesSent(request.Entries.Count);
            }

            host._transport.Send(host.Id, to, message);
        }

        public void WriteEntries(long firstOffset, IReadOnlyList<LogEntry> entries)
        {
            var logged = new LoggedEntry[entries.Count];
            for (var i = 0; i < entries.Count; i++)
            {
                logged[i] = new LoggedEntry(firstOffset + i, entries[i].Epoch, entries[i].Payload);
            }

            host._log.Append(logged);
            host._counting.EntriesWritten(logged.Length, host._replica!.Role == ReplicaRole.Leader);
        }

        // Durable at once (stronger than the protocol asks): a divergent tail never comes back after a crash.
        public void Truncate(long length) => host._log.TruncateAfter(length);

        public void Sync(long token) => host._pendingSyncToken = token;

        // Written off the driver loop (a state of some hundred MB takes seconds to write and fsync, and the partition's
        // appends must not wait for it); the replica hears of it as queued work once durable, as the contract asks.
        public void WriteCheckpoint(ReplicaCheckpoint checkpoint, long token) => host.StartCheckpointWrite(ToStored(checkpoint), token);

        public void DeletePrefix(long offset)
        {
            var segments = host._log.DeletePrefix(offset);
            host._counting.SegmentsDeleted(segments);
            LogPrefixDeleted(host._logger, host.Id, offset, segments);
        }

        // Atomic and durable when it returns (EntryLog.InstallCheckpoint). A checkpoint write still under way finishes
        // first: the install's file must be the last to replace the checkpoint file.
        public void InstallCheckpoint(ReplicaCheckpoint checkpoint)
        {
            host.WaitForCheckpointWrite();
            host._log.InstallCheckpoint(ToStored(checkpoint));
            host._counting.CheckpointInstalled();
            LogCheckpointInstalled(host._logger, host.Id, checkpoint.Offset, checkpoint.Epoch, checkpoint.State.Length);
        }

        public void PersistEpoch(long epoch) => host._log.PersistEpoch(epoch);

        public void ReadConfiguration() => _ = ReadAsync();

        public void WriteConfiguration(long expectedVersion, ReplicaConfiguration proposal) => _ = WriteAsync(expectedVersion, proposal);

        public void Acknowledge(long requestId, long offset, long epoch)
        {
            if (host._appends.TryTake(requestId, out var completion))
            {
                host._counting.AppendAcknowledged();
                completion.TrySetResult(new ReplicatedAppendResult(offset, epoch));
            }
        }

        public void Abandon(long requestId, bool appended)
        {
            if (!host._appends.TryTake(requestId, out var completion))
            {
                return;
            }

            var replica = host._replica!;
            completion.TrySetException(appended
                ? new AppendOutcomeUnknownException(host.Id, $"leadership lost in epoch {replica.Epoch}")
                : new NotLeaderException(host.Id, replica.Epoch, replica.Leader));
        }

        private async Task ReadAsync()
        {
            try
            {
                var configuration = await host._store.ReadAsync(host._stopping.Token).ConfigureAwait(false);
                host.Post(() => host._replica!.OnConfigurationRead(configuration));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !host._stopping.IsCancellationRequested)
            {
                // A failed read is a lost reply: the replica reads again at its next poll.
                LogStoreFailed(host._logger, host.Id, "read", exception);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        private async Task WriteAsync(long expectedVersion, ReplicaConfiguration proposal)
        {
            try
            {
                var result = await host._store.TryWriteAsync(expectedVersion, proposal, host._stopping.Token).ConfigureAwait(false);
                host.Post(() => host._replica!.OnConfigurationWritten(expectedVersion, result));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !host._stopping.IsCancellationRequested)
            {
                // The write may or may not have taken effect: the replica resolves it by reading until the version moves.
                LogStoreFailed(host._logger, host.Id, "write", exception);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }
}
