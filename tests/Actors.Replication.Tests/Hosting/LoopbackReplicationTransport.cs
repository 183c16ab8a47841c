using System.Buffers;
using System.Collections.Concurrent;
using Actors.Replication.Messages;
using Actors.Replication.Wal;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Carries replication messages between hosts of one process through the wire codec (so every message crosses as
/// bytes, as over a socket), and can cut a replica off from everyone (a network partition) and heal it.
/// </summary>
internal sealed class LoopbackReplicationTransport : IReplicationTransport, IReplicaNetwork
{
    private readonly ConcurrentDictionary<ReplicaId, ReplicaHost> _hosts = new();
    private readonly ConcurrentDictionary<ReplicaId, bool> _cut = new();

    public long Delivered;

    public void Register(ReplicaHost host) => _hosts[host.Id] = host;

    public IReplicationTransport TransportFor(ReplicaId id) => this;

    public Task UnregisterAsync(ReplicaId id)
    {
        _hosts.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Cut(ReplicaId id) => _cut[id] = true;

    public void Heal(ReplicaId id) => _cut.TryRemove(id, out _);

    public void Send(ReplicaId from, ReplicaId to, ReplicationMessage message)
    {
        if (_cut.ContainsKey(from) || _cut.ContainsKey(to) || !_hosts.TryGetValue(to, out var host))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        ReplicationMessageCodec.Write(message, buffer);
        host.Deliver(ReplicationMessageCodec.Read(buffer.WrittenSpan));
        Interlocked.Increment(ref Delivered);
    }
}
