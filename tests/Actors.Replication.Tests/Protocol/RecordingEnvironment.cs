using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>An environment that records what a replica asks for; tests answer by calling the replica.</summary>
internal sealed class RecordingEnvironment : IReplicaCheckpointEnvironment
{
    public List<(ReplicaId To, ReplicationMessage Message)> Sent { get; } = [];

    public List<(long FirstOffset, int Count)> Writes { get; } = [];

    public List<long> Truncations { get; } = [];

    public List<long> Syncs { get; } = [];

    public List<long> PersistedEpochs { get; } = [];

    public List<(ReplicaCheckpoint Checkpoint, long Token)> CheckpointWrites { get; } = [];

    public List<long> PrefixDeletions { get; } = [];

    public List<ReplicaCheckpoint> Installs { get; } = [];

    public int Reads { get; set; }

    public List<(long ExpectedVersion, ReplicaConfiguration Proposal)> ConfigurationWrites { get; } = [];

    public List<(long RequestId, long Offset, long Epoch)> Acknowledged { get; } = [];

    public List<(long RequestId, bool Appended)> Abandoned { get; } = [];

    public void Send(ReplicaId to, ReplicationMessage message) => Sent.Add((to, message));

    public void WriteEntries(long firstOffset, IReadOnlyList<LogEntry> entries) => Writes.Add((firstOffset, entries.Count));

    public void Truncate(long length) => Truncations.Add(length);

    public void Sync(long token) => Syncs.Add(token);

    public void PersistEpoch(long epoch) => PersistedEpochs.Add(epoch);

    public void WriteCheckpoint(ReplicaCheckpoint checkpoint, long token) => CheckpointWrites.Add((checkpoint, token));

    public void DeletePrefix(long offset) => PrefixDeletions.Add(offset);

    public void InstallCheckpoint(ReplicaCheckpoint checkpoint) => Installs.Add(checkpoint);

    public void ReadConfiguration() => Reads++;

    public void WriteConfiguration(long expectedVersion, ReplicaConfiguration proposal) => ConfigurationWrites.Add((expectedVersion, proposal));

    public void Acknowledge(long requestId, long offset, long epoch) => Acknowledged.Add((requestId, offset, epoch));

    public void Abandon(long requestId, bool appended) => Abandoned.Add((requestId, appended));

    public IEnumerable<T> SentTo<T>(ReplicaId to) where T : ReplicationMessage =>
        Sent.Where(s => s.To == to).Select(s => s.Message).OfType<T>();
}
