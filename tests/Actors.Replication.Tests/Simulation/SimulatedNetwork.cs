using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// The simulated network between replicas and between each replica and the configuration store: uniform random delay
/// (so messages reorder), loss, duplication, and cut links (partitions, possibly one-sided per pair). Healing turns
/// loss, duplication and cuts off.
/// </summary>
public sealed class SimulatedNetwork
{
    /// <summary>The store's endpoint number in link cuts.</summary>
    public const int StoreEndpoint = 0;

    private readonly Simulation _simulation;
    private readonly Dictionary<(int From, int To), int> _cuts = [];
    private int? _isolated;

    internal SimulatedNetwork(Simulation simulation) => _simulation = simulation;

    /// <summary>What the replicas sent (before loss or duplication).</summary>
    public ReplicationTraffic Traffic { get; } = new();

    /// <summary>When true, nothing is lost, duplicated or cut (delays remain).</summary>
    public bool Healed { get; set; }

    /// <summary>Cuts the link from <paramref name="from"/> to <paramref name="to"/> (one direction) until <see cref="Restore"/>.</summary>
    public void Cut(int from, int to) => _cuts[(from, to)] = _cuts.GetValueOrDefault((from, to)) + 1;

    /// <summary>
    /// Cuts every link between <paramref name="replica"/> and the other replicas, both ways, until <see cref="EndIsolation"/>;
    /// its link to the store stays. Unlike <see cref="Cut"/>, it holds while the network is healed (a link cut of its own).
    /// </summary>
    public void Isolate(ReplicaId replica) => _isolated = replica.Value;

    /// <summary>Undoes <see cref="Isolate"/>.</summary>
    public void EndIsolation() => _isolated = null;

    /// <summary>Undoes one <see cref="Cut"/>.</summary>
    public void Restore(int from, int to)
    {
        var count = _cuts.GetValueOrDefault((from, to)) - 1;
        if (count <= 0)
        {
            _cuts.Remove((from, to));
        }
        else
        {
            _cuts[(from, to)] = count;
        }
    }

    /// <summary>Sends a replica-to-replica message.</summary>
    public void Send(ReplicaId from, ReplicaId to, ReplicationMessage message)
    {
        Traffic.Count(message);
        var copies = Copies(from.Value, to.Value);
        var target = _simulation.Node(to);
        for (var i = 0; i < copies; i++)
        {
            _simulation.Schedule(_simulation.NetworkDelay(), () =>
                target.Run(static (replica, message) => replica.OnMessage(message), message, _simulation.Tracing ? Describe(message) : message.GetType().Name));
        }
    }

    /// <summary>
    /// A request to the store: applied at one instant when it arrives (the store is linearizable), the answer travels
    /// back and reaches only the incarnation that asked.
    /// </summary>
    public void ToStore<T>(SimulatedNode node, Func<InMemoryReplicaConfigurationStore, T> apply, Action<Replica, T> answer)
    {
        var incarnation = node.Incarnation;
        if (Copies(node.Id.Value, StoreEndpoint) == 0)
        {
            return;
        }

        _simulation.Schedule(_simulation.NetworkDelay(), () =>
        {
            var result = apply(_simulation.Store);
            _simulation.Record(null, _simulation.Tracing ? $"store {result}" : "store");
            if (Copies(StoreEndpoint, node.Id.Value) == 0)
            {
                return;
            }

            _simulation.Schedule(_simulation.NetworkDelay(), () =>
            {
                if (node.Incarnation == incarnation)
                {
                    node.Run(static (replica, reply) => reply.Answer(replica, reply.Result), (Answer: answer, Result: result), "store answer");
                }
            });
        });
    }

    private int Copies(int from, int to)
    {
        if (_isolated is { } isolated && from != StoreEndpoint && to != StoreEndpoint && (from == isolated || to == isolated))
        {
            return 0;
        }

        if (Healed)
        {
            return 1;
        }

        if (_cuts.ContainsKey((from, to)) || _simulation.Random.NextDouble() < _simulation.Settings.DropRate)
        {
            return 0;
        }

        return _simulation.Random.NextDouble() < _simulation.Settings.DuplicateRate ? 2 : 1;
    }

    private static string Describe(ReplicationMessage message) => message switch
    {
        AppendRequest r => $"append from {r.From} e{r.Epoch} prev {r.PrevOffset}/{r.PrevEpoch} n={r.Entries.Count} end {r.LeaderEndOffset} commit {r.CommittedOffset}",
        AppendAccepted a => $"accepted from {a.From} e{a.Epoch} matched {a.MatchedOffset} durable {a.DurableOffset}",
        AppendDiverged d => $"diverged from {d.From} e{d.Epoch} probe {d.ProbeOffset}/{d.ProbeEpoch}",
        AppendFenced f => $"fenced from {f.From} e{f.Epoch}",
        _ => message.GetType().Name,
    };
}
