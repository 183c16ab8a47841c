using System.Buffers;
using System.Collections.Concurrent;
using Actors.Replication.Messages;
using Actors.Replication.Wal;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Carries replication messages between hosts of one process through the wire codec (so every message crosses as
/// bytes, as over a socket), can cut a replica off from everyone (a network partition) and heal it, and can damage
/// checkpoint chunks in transit. A message that does not decode is dropped and counted, as a silo's inbox refuses it.
/// </summary>
internal sealed class LoopbackReplicationTransport : IReplicationTransport, IReplicaNetwork
{
    private readonly ConcurrentDictionary<ReplicaId, ReplicaHost> _hosts = new();
    private readonly ConcurrentDictionary<ReplicaId, bool> _cut = new();

    public long Delivered;

    /// <summary>How many of the next <see cref="CheckpointChunk"/>s get one byte of their state flipped in transit.</summary>
    public int ChunksToDamage;

    /// <summary>Messages that failed to decode (<see cref="MalformedReplicationMessageException"/>) and were dropped.</summary>
    public long Refused;

    /// <summary>Append requests carrying entries handed to this transport (cut or not).</summary>
    public long RequestsWithEntries;

    /// <summary>Append requests (with entries or without) handed to this transport (cut or not).</summary>
    public long AppendRequests;

    private readonly ConcurrentQueue<(ReplicaHost To, ReplicationMessage Message)> _heldChunks = new();
    private volatile bool _holdChunks;

    /// <summary>
    /// From now on <see cref="CheckpointChunk"/>s are kept in transit, not delivered, until <see cref="ReleaseHeldChunks"/>
    /// (a link slower than the protocol's heartbeats, made exact).
    /// </summary>
    public void HoldChunks() => _holdChunks = true;

    /// <summary>Delivers every held chunk in the order sent, and chunks are delivered at once from now on.</summary>
    public void ReleaseHeldChunks()
    {
        _holdChunks = false;
        while (_heldChunks.TryDequeue(out var held))
        {
            held.To.Deliver(held.Message);
            Interlocked.Increment(ref Delivered);
        }
    }

    public void Register(ReplicaHost host) => _hosts[host.Id] = host;

    public IReplicationTransport TransportFor(ReplicaId id) => this;

    public Task UnregisterAsync(ReplicaId id)
    {
        _hosts.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Messages for which this returns true (from, to, message) are dropped, one direction only; null drops none.</summary>
    public Func<ReplicaId, ReplicaId, ReplicationMessage, bool>? DropWhen { get; set; }

    public void Cut(ReplicaId id) => _cut[id] = true;

    public void Heal(ReplicaId id) => _cut.TryRemove(id, out _);

    public void Send(ReplicaId from, ReplicaId to, ReplicationMessage message)
    {
        if (message is AppendRequest request)
        {
            Interlocked.Increment(ref AppendRequests);
            if (request.Entries.Count > 0)
            {
                Interlocked.Increment(ref RequestsWithEntries);
            }
        }

        if (_cut.ContainsKey(from) || _cut.ContainsKey(to) || DropWhen?.Invoke(from, to, message) == true || !_hosts.TryGetValue(to, out var host))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        ReplicationMessageCodec.Write(message, buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        if (message is CheckpointChunk chunk && chunk.Bytes.Length > 0 && Interlocked.Decrement(ref ChunksToDamage) >= 0)
        {
            bytes[bytes.Length - 5 - (chunk.Bytes.Length / 2)] ^= 0x10; // inside the state slice, before the chunk's CRC
        }

        ReplicationMessage decoded;
        try
        {
            decoded = ReplicationMessageCodec.Read(bytes);
        }
        catch (MalformedReplicationMessageException)
        {
            Interlocked.Increment(ref Refused);
            return;
        }

        if (decoded is CheckpointChunk && _holdChunks)
        {
            _heldChunks.Enqueue((host, decoded));
            return;
        }

        host.Deliver(decoded);
        Interlocked.Increment(ref Delivered);
    }
}
