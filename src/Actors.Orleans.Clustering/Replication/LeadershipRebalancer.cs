using Actors.Orleans.Clustering.Diagnostics;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Replication.Configuration;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Spreads partition leaderships again when a silo comes back (replication factor above 1): after a restart or a rolling
/// restart the silos that stayed lead the returning silo's partitions (elections and hand-overs put them there); every
/// <see cref="LeadershipRebalanceOptions.Interval"/> while a rebalance is due, this silo computes the cluster's
/// deterministic plan (<see cref="LeadershipBalance"/>) from the partition rows and Orleans's active silos, and hands
/// over at most <see cref="LeadershipRebalanceOptions.MaxMovesPerPass"/> of the partitions the plan moves away from its
/// own replica (<see cref="LeadershipHandOver.MoveAsync"/>: one leader change per moved partition, calls held and placed
/// again, not failed).
/// </summary>
/// <remarks>
/// <para>A rebalance is due once a replica is active again (it returned), or this silo made a replica of its partitions
/// (<see cref="NoteJoined"/>): registered under a new silo address since an
/// earlier pass (its silo restarted), or seen active earlier and absent from Orleans's active silos at the previous
/// pass; it stays due until a pass finds nothing to move while every returned replica is
/// in the in-sync set of every row naming it, or <see cref="DueWindow"/> after the last return. Silos joining for the
/// first time (a cluster starting) make none due: the first leaders of new rows are already spread by the placement's
/// rendezvous hash, and a silo that never held a partition holds no replica of the existing rows until a leader adds
/// one (<see cref="AbsentReplicaReplacer"/>, <see cref="ReplicaBalancer"/>), which makes a rebalance due for it.</para>
/// <para>While replicas move (<c>replicasMoving</c>, from the <see cref="ReplicaBalancer"/>'s plan: a move under way or
/// planned) a due rebalance waits, so that the plan is made on the in-sync sets the moves leave and each partition changes
/// leader at most once.</para>
/// <para>Only the leader hands over (its conditional update of the row), and every silo moves only its own
/// partitions by the same plan, so no two silos contend for one partition; a move whose row changed meanwhile (another
/// epoch) is skipped. Not thread-safe: one pass at a time, on the loop started by <see cref="ReplicaSupervisor"/>.</para>
/// </remarks>
internal sealed partial class LeadershipRebalancer(
    LeadershipRebalanceOptions options,
    ClusterReplica replica,
    SiloReplicas replicas,
    PartitionView view,
    IClusterMembershipService membership,
    LeadershipHandOver handOver,
    ILogger<LeadershipRebalancer> logger,
    Func<IReadOnlyDictionary<int, ReplicaConfiguration>, IReadOnlySet<int>, bool>? replicasMoving = null,
    TimeProvider? time = null)
{
    /// <summary>
    /// How long after a replica returned a rebalance stays due at most (it may need that long to be in sync again: a killed
    /// silo's replicas catch up on a loaded machine in well over a minute). A pass while due reads the partition rows once.
    /// </summary>
    public static readonly TimeSpan DueWindow = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly HashSet<int> _seen = [];
    private readonly Dictionary<int, string> _known = [];
    private readonly HashSet<int> _restarted = [];
    private readonly HashSet<int> _returned = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _joined = new();
    private HashSet<int> _previous = [];
    private DateTimeOffset _dueUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// Makes a rebalance due for <paramref name="replica"/>, which this silo just made a replica of partitions it leads
    /// (<see cref="AbsentReplicaReplacer"/>): once in sync it takes its share of leaderships as a returned replica does.
    /// Thread-safe: noted now, taken in by the next pass.
    /// </summary>
    public void NoteJoined(int replica) => _joined.Enqueue(replica);

    /// <summary>Whether a rebalance is due now (a replica returned and the leaderships are not spread yet).</summary>
    public bool Due => _returned.Count > 0;

    /// <summary>Runs passes every <see cref="LeadershipRebalanceOptions.Interval"/> until <paramref name="stopping"/>; a pass runs to its end.</summary>
    public Task RunAsync(CancellationToken stopping) =>
        PeriodicPasses.RunAsync(options.Interval, _time, PassAsync, LogPassFailed, stopping);

    /// <summary>
    /// One pass: notes the replicas that returned; while a rebalance is due, plans and carries out this silo's moves (at
    /// most <see cref="LeadershipRebalanceOptions.MaxMovesPerPass"/>, at once); returns how many leaderships moved.
    /// </summary>
    public async Task<int> PassAsync()
    {
        ForgetEarlierMoves();
        IReadOnlyDictionary<int, string> registered = view.Replicas;
        NoteRestarts(registered);
        Dictionary<int, string> now = ActiveReplicas.Of(registered, membership, replica);
        DateTimeOffset at = _time.GetUtcNow();
        while (_joined.TryDequeue(out int joined))
        {
            _returned.Add(joined);
            _dueUntil = at + DueWindow;
        }

        foreach ((int id, string address) in now)
        {
            // Returned: registered again under a new silo address since an earlier pass (restarted: whether or not this
            // silo's passes ever saw its earlier silo active), or seen active before and absent at the last pass.
            bool restarted = _restarted.Remove(id);
            if (restarted || (_seen.Contains(id) && !_previous.Contains(id)))
            {
                _returned.Add(id);
                _dueUntil = at + DueWindow;
                LogDue(id, address);
            }

            _seen.Add(id);
        }

        var active = new HashSet<int>(now.Keys);
        _previous = active;
        if (_returned.Count == 0)
        {
            return 0;
        }

        if (at > _dueUntil)
        {
            LogGaveUp(string.Join(",", _returned.Order()));
            _returned.Clear();
            return 0;
        }

        Dictionary<int, ReplicaConfiguration> rows = await replicas.Reads.ReadAsync().ConfigureAwait(false);
        if (replicasMoving?.Invoke(rows, active) == true)
        {
            // Planned on the replicas' final places once they stop moving, so that a partition changes leader once.
            return 0;
        }

        IReadOnlyList<LeadershipBalance.Move> plan = LeadershipBalance.Plan(rows, active);
        if (plan.Count == 0)
        {
            if (rows.Values.All(row => _returned.All(r => !row.Replicas.Contains(new(r)) || row.IsInSync(new(r)))))
            {
                LogBalanced(Spread(rows, active));
                _returned.Clear();
            }

            return 0;
        }

        int me = replica.Id;
        LeadershipBalance.Move[] mine = [.. plan.Where(m => m.From == me).Take(options.MaxMovesPerPass)];
        if (mine.Length == 0)
        {
            return 0;
        }

        LogPass(plan.Count, mine.Length, Spread(rows, active));
        bool[] moved = await Task.WhenAll(mine.Select(m => MoveAsync(m, rows[m.Partition]))).ConfigureAwait(false);
        return moved.Count(m => m);
    }

    private async Task<bool> MoveAsync(LeadershipBalance.Move move, ReplicaConfiguration row)
    {
        if (replicas.Get(move.Partition) is not { } held || held.Host.Status.Epoch != row.Epoch)
        {
            return false;
        }

        // Not cancelled by the silo's stop: a move ends within the drain and hand-over timeouts, and a hand-over cut short
        // would keep the stop's own hand-over of the partition from starting.
        bool moved = await handOver.MoveAsync(held, move.To, CancellationToken.None).ConfigureAwait(false);
        if (moved)
        {
            ClusteringInstruments.LeadershipMoved();
        }

        return moved;
    }

    /// <summary>
    /// Forgets the successors of this silo's earlier moves (their waiting calls were refused and placed again by now): a
    /// replica that handed over stays a follower that may lead again, and a call reaching it should then wait for its
    /// leadership (a hand-over back to it that it has not read yet) instead of being refused at once as after a stop's
    /// hand-over.
    /// </summary>
    private void ForgetEarlierMoves()
    {
        foreach (HeldReplica held in replicas.Held)
        {
            if (held.HandedOverTo != 0 && !held.HandingOver)
            {
                held.EndHandOver(0);
            }
        }
    }

    /// <summary>
    /// Notes every other replica whose registered silo address (the replica rows, read into <see cref="PartitionView"/>
    /// every <see cref="ReplicaSupervisor.ReconcileInterval"/>) changed since an earlier pass: its silo restarted (a
    /// restarted silo keeps its replica and registers its new address before it joins Orleans's membership). It counts as
    /// returned when it is next active. This does not depend on an earlier pass having seen the replica's former silo
    /// active: a silo that joined and stopped within a pass or two (or whose activity this silo's Orleans membership
    /// learned late) returns all the same.
    /// </summary>
    private void NoteRestarts(IReadOnlyDictionary<int, string> registered)
    {
        foreach ((int id, string address) in registered)
        {
            if (_known.TryGetValue(id, out string? before) && before != address && id != replica.Id)
            {
                _restarted.Add(id);
            }

            _known[id] = address;
        }
    }

    /// <summary>"replica:led" for each active replica, for the logs.</summary>
    private static string Spread(Dictionary<int, ReplicaConfiguration> rows, HashSet<int> active) =>
        string.Join(" ", active.Order().Select(r => $"{r}:{rows.Values.Count(row => row.Leader.Value == r)}"));

    [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Rebalance due: replica {Replica} is active again (silo {Address}); partition leaderships are spread over the active silos")]
    private partial void LogDue(int replica, string address);

    [LoggerMessage(EventId = 64, Level = LogLevel.Information, Message = "Rebalance: the plan moves {Planned} leaderships; this silo hands over {Mine} now (partitions led per replica: {Spread})")]
    private partial void LogPass(int planned, int mine, string spread);

    [LoggerMessage(EventId = 65, Level = LogLevel.Information, Message = "Rebalance done: partitions led per replica {Spread}")]
    private partial void LogBalanced(string spread);

    [LoggerMessage(EventId = 66, Level = LogLevel.Warning, Message = "Rebalance given up: the returned replicas {Replicas} were not all in sync within the due window; leaderships stay where they are until a replica returns again")]
    private partial void LogGaveUp(string replicas);

    [LoggerMessage(EventId = 67, Level = LogLevel.Warning, Message = "A rebalance pass failed; tried again at the next one")]
    private partial void LogPassFailed(Exception exception);
}
