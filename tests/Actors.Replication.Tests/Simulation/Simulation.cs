using System.Runtime.InteropServices;
using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// One deterministic run of a replicated partition log: replicas, a linearizable configuration store, a lossy network,
/// disks that lose unsynced writes, crashes, pauses and partitions, a client appending, all in virtual time driven by
/// one seeded RNG. The same seed and settings replay the same run event for event.
/// </summary>
/// <remarks>
/// Phases: faults and appends for <see cref="SimulationSettings.FaultPhaseMilliseconds"/>; then healing (every process
/// running, no loss, no cuts) until every replica's synced log is the same and every replica is in sync, which must
/// happen within <see cref="SimulationSettings.ConvergenceDeadlineMilliseconds"/>. Then, with three replicas or more, a
/// link cut (<see cref="SimulationSettings.LinkCutMilliseconds"/>): the leader is cut off from every other replica but not
/// from the store, clients append, and within <see cref="LinkCutFailoverBound"/> a replica on the other side must
/// acknowledge in a later epoch and keep the lead until the cut heals; then the replicas must converge again.
/// </remarks>
public sealed class Simulation
{
    private const long TickMicroseconds = 10_000;
    private const long ConvergenceCheckMicroseconds = 50_000;
    private const long RetireCheckMicroseconds = 200_000;
    private const ulong HashMultiplier = 0x517CC1B727220A95UL;

    /// <summary>Bits of an event's queue key below its time: the sequence number that orders events of one instant.</summary>
    private const int SequenceBits = 32;

    /// <summary>The latest time an event's key holds (about 35 minutes, beyond every deadline of a run).</summary>
    private const long MaxEventTime = (1L << (63 - SequenceBits)) - 1;

    /// <summary>
    /// Pending events keyed by (time &lt;&lt; <see cref="SequenceBits"/>) | sequence: one <see cref="long"/> compares as the
    /// pair (time, sequence) does, at a fraction of a tuple's cost.
    /// </summary>
    private readonly PriorityQueue<Action, long> _events = new();
    private readonly List<SimulatedNode> _nodes = [];
    private readonly List<SimulatedNode> _running = [];
    private readonly List<SimulatedNode> _runningLeaders = [];

    /// <summary>Each node's tick (by replica number - 1), one delegate for the whole run.</summary>
    private readonly Action[] _tickLoops;
    private readonly List<string>? _trace;
    private long _sequence;
    private long _eventCount;
    private ulong _traceHash = 14695981039346656037UL;
    private long _nextRequestId;
    private int _crashes;
    private int _replicaSetChanges;
    private int _inSyncRemovals;
    private int _retirements;
    private int _retiredReAdded;
    private readonly List<(ReplicaId From, ReplicaId Target, long Epoch)> _handOvers = [];
    private bool _healed;
    private bool _appending = true;
    private bool _converged;
    private bool _linkCutDone;
    private long _deadline;
    private (ReplicaId Replica, long Epoch, long Since)? _linkCut;

    /// <summary>Creates the run for <paramref name="seed"/>.</summary>
    public Simulation(long seed, SimulationSettings settings, bool trace = false)
    {
        Seed = seed;
        Settings = settings;
        Random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        Network = new SimulatedNetwork(this);
        Checker = new InvariantChecker(this);
        _trace = trace ? [] : null;
        var options = settings.ReplicaOptions;
        for (var i = 1; i <= settings.ReplicaCount; i++)
        {
            _nodes.Add(new SimulatedNode(this, new ReplicaId(i), options));
        }

        _tickLoops = [.. _nodes.Select(n => (Action)(() => TickLoop(n)))];
        Store = new InMemoryReplicaConfigurationStore(ReplicaConfiguration.Initial(new ReplicaId(1), _nodes.Select(n => n.Id)));
    }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>The run's shape.</summary>
    public SimulationSettings Settings { get; }

    /// <summary>The one source of randomness.</summary>
    public Random Random { get; }

    /// <summary>Virtual time.</summary>
    public VirtualClock Clock { get; } = new();

    /// <summary>The configuration store.</summary>
    public InMemoryReplicaConfigurationStore Store { get; }

    /// <summary>The network.</summary>
    public SimulatedNetwork Network { get; }

    /// <summary>Prefix deletions replicas asked their disks for.</summary>
    internal int PrefixDeletions { get; set; }

    /// <summary>Transferred checkpoints replicas installed.</summary>
    internal int CheckpointInstalls { get; set; }

    /// <summary>The invariants.</summary>
    public InvariantChecker Checker { get; }

    /// <summary>Runs seed <paramref name="seed"/> with the settings it implies (plus <paramref name="faults"/>).</summary>
    internal static SimulationResult RunSeed(long seed, ReplicaFaults? faults = null, bool trace = false, bool replicaSetChanges = false, bool replicaMoves = false)
    {
        var settings = SimulationSettings.FromSeed(seed) with
        {
            Faults = faults ?? ReplicaFaults.None,
            ReplicaSetChanges = replicaSetChanges,
            ReplicaMoves = replicaMoves,
            RetireRemoved = replicaSetChanges || replicaMoves,
        };
        return new Simulation(seed, settings, trace).Run();
    }

    /// <summary>Runs to convergence or to the first violation.</summary>
    public SimulationResult Run()
    {
        string? violation = null;
        try
        {
            Start();
            SetDeadline((Settings.FaultPhaseMilliseconds + (long)Settings.ConvergenceDeadlineMilliseconds) * 1000);
            while (!_converged && _events.TryDequeue(out var action, out var key))
            {
                var when = key >> SequenceBits;
                if (when > _deadline)
                {
                    throw new SimulationViolationException(
                        $"no convergence {Settings.ConvergenceDeadlineMilliseconds} ms after healing: {Checker.Divergence(_nodes) ?? "logs agree"}; store {Store.Current}; "
                        + string.Join("; ", _nodes.Select(n => $"{n.Id} {n.Replica?.Role} e{n.Replica?.Epoch} start {n.Replica?.Log.StartOffset} end {n.Replica?.Log.EndOffset} durable {n.Replica?.Log.DurableOffset}")));
                }

                Clock.AdvanceTo(when);
                _eventCount++;
                action();
            }
        }
        catch (SimulationViolationException exception)
        {
            violation = exception.Message;
        }
        catch (ReplicationException exception)
        {
            violation = $"t={Clock.NowMicroseconds / 1000.0:F3} ms: replica failed: {exception.GetType().Name}: {exception.Message}";
        }

        return new SimulationResult(Seed, violation, _traceHash, _eventCount, Checker.AcknowledgedCount,
            Math.Max(0, Checker.LeaderCount - 1), _crashes, PrefixDeletions, CheckpointInstalls, _trace, Checker.ReadsServed,
            Network.Traffic, Node(Store.Current.Leader).Replica?.Log.EndOffset ?? 0,
            _handOvers.Count, _handOvers.Count(h => Checker.LeaderOf(h.Epoch + 1) == h.Target), _replicaSetChanges, _inSyncRemovals, _retirements, _retiredReAdded);
    }

    internal SimulatedNode Node(ReplicaId id) => _nodes[id.Value - 1];

    internal void Schedule(long delayMicroseconds, Action action)
    {
        // An event beyond the key's time range (a fault-free run's first fault, int.MaxValue ms away) is past every
        // deadline: it ends the run as "no convergence" whenever it is dequeued, and at the last key time as well.
        var time = Math.Min(Clock.NowMicroseconds + delayMicroseconds, MaxEventTime);
        if ((ulong)_sequence >= 1UL << SequenceBits)
        {
            throw new InvalidOperationException($"event {_sequence} of the run: beyond the event queue's key range");
        }

        _events.Enqueue(action, (time << SequenceBits) | _sequence++);
    }

    /// <summary>Sets the time by which the run must converge; it must lie before <see cref="MaxEventTime"/> (see <see cref="Schedule"/>).</summary>
    private void SetDeadline(long microseconds)
    {
        if (microseconds >= MaxEventTime)
        {
            throw new InvalidOperationException($"a deadline at {microseconds} us: beyond the event queue's time range ({MaxEventTime} us)");
        }

        _deadline = microseconds;
    }

    internal long NetworkDelay() => 100 + Random.NextInt64(Settings.MaxDelayMilliseconds * 1000L);

    /// <summary>A sync's latency: usually under 2 ms; a share of syncs (per seed) are slow (a busy disk).</summary>
    internal long DiskLatency() =>
        100 + Random.NextInt64(Random.NextDouble() < Settings.SlowSyncRate ? Settings.SlowSyncMilliseconds * 1000L : 2_000);

    /// <summary>Whether the run keeps a readable trace (descriptions are built only then).</summary>
    internal bool Tracing => _trace is not null;

    /// <summary>Folds one event into the trace hash (and the trace, when kept).</summary>
    internal void Record(SimulatedNode? node, string what)
    {
        var hash = Mix(Mix(_traceHash, Clock.NowMicroseconds), node?.Id.Value ?? 0);
        var chars = what.AsSpan();
        foreach (var fourChars in MemoryMarshal.Cast<char, long>(chars))
        {
            hash = Mix(hash, fourChars);
        }

        for (var i = chars.Length & ~3; i < chars.Length; i++)
        {
            hash = Mix(hash, chars[i]);
        }

        _traceHash = Mix(hash, chars.Length);
        _trace?.Add($"{Clock.NowMicroseconds} {node?.Id.ToString() ?? "store"} {what}");
    }

    /// <summary>Folds a number into the trace hash.</summary>
    internal void Fold(long value) => _traceHash = Mix(_traceHash, value);

    /// <summary>Folds four numbers into the trace hash, in order (as four <see cref="Fold(long)"/> calls do).</summary>
    internal void Fold(long first, long second, long third, long fourth) =>
        _traceHash = Mix(Mix(Mix(Mix(_traceHash, first), second), third), fourth);

    /// <summary>
    /// One step of the trace hash: <paramref name="hash"/> rotated, <paramref name="value"/> mixed in, multiplied (the
    /// FxHash step, one multiplication per 64-bit word; the test assembly runs unoptimized in Debug, where a byte-wise hash
    /// cost 6% of a seed's CPU).
    /// </summary>
    private static ulong Mix(ulong hash, long value) => (((hash << 5) | (hash >> 59)) ^ (ulong)value) * HashMultiplier;

    private void Start()
    {
        foreach (var node in _nodes)
        {
            node.Start();
            var phase = Random.NextInt64(TickMicroseconds);
            Schedule(phase, _tickLoops[node.Id.Value - 1]);
        }

        Schedule(NextFaultDelay(), InjectFault);
        if (Settings.ReplicaSetChanges)
        {
            Schedule(NextFaultDelay(), InjectReplicaSetChange);
        }

        if (Settings.ReplicaMoves)
        {
            Schedule(NextFaultDelay(), InjectReplicaMove);
        }

        if (Settings.RetireRemoved)
        {
            foreach (var node in _nodes)
            {
                Schedule(Random.NextInt64(RetireCheckMicroseconds), () => RetireLoop(node));
            }
        }

        Schedule(NextAppendDelay(), ClientAppend);
        Schedule(Settings.FaultPhaseMilliseconds * 1000L, Heal);
    }

    private void TickLoop(SimulatedNode node)
    {
        node.Run(
            static (replica, tick) =>
            {
                replica.Tick();

                // A client read on every tick: served only by a leader holding its read lease. Ticks queued while the
                // process was paused run when it resumes, before the messages that arrived later: a resumed zombie
                // leader reads first, as a SIGCONTed silo's queued calls would.
                if (replica.HoldsReadLease())
                {
                    tick.Checker.ReadServed(tick.Node);
                }
            },
            (Checker, Node: node),
            "tick");
        Schedule(TickMicroseconds, _tickLoops[node.Id.Value - 1]);
    }

    private long NextFaultDelay() => 1 + (long)(-Math.Log(1 - Random.NextDouble()) * Settings.MeanFaultIntervalMilliseconds * 1000);

    private long NextAppendDelay() => 1 + (long)(-Math.Log(1 - Random.NextDouble()) * Settings.MeanAppendIntervalMilliseconds * 1000);

    private void ClientAppend()
    {
        if (!_appending)
        {
            return;
        }

        _running.Clear();
        _runningLeaders.Clear();
        foreach (var node in _nodes)
        {
            if (node.Alive && !node.Paused)
            {
                _running.Add(node);
                if (node.Replica!.Role == ReplicaRole.Leader)
                {
                    _runningLeaders.Add(node);
                }
            }
        }

        if (_running.Count > 0)
        {
            var target = _runningLeaders.Count > 0 && Random.Next(10) > 0
                ? _runningLeaders[Random.Next(_runningLeaders.Count)]
                : _running[Random.Next(_running.Count)];
            var requestId = ++_nextRequestId;
            target.Run(static (replica, id) => replica.Propose(id, InvariantChecker.Payload(id)), requestId, Tracing ? $"propose {requestId}" : "propose");
        }

        Schedule(NextAppendDelay(), ClientAppend);
    }

    private void InjectFault()
    {
        if (_healed)
        {
            return;
        }

        var node = _nodes[Random.Next(_nodes.Count)];
        switch (Random.Next(8))
        {
            case 7:
                // A graceful hand-over by the current leader (a silo stopping), under the same weather as everything else.
                if (_nodes.FirstOrDefault(n => n.Alive && !n.Paused && n.Replica!.Role == ReplicaRole.Leader) is { } leader)
                {
                    leader.Run(() => StartHandOver(leader), "hand-over");
                }

                break;
            case 0 or 1 when node.Alive:
                Crash(node);
                break;
            case 2:
                // Power loss: every running replica at once.
                foreach (var victim in _nodes.Where(n => n.Alive))
                {
                    Crash(victim);
                }

                break;
            case 3 or 4 when node.Alive && !node.Paused:
                Record(node, "pause");
                node.Paused = true;
                var incarnation = node.Incarnation;
                Schedule(50_000 + Random.NextInt64(1_500_000), () => Resume(node, incarnation));
                break;
            case 5 or 6:
                var cuts = new List<(int, int)>();
                foreach (var other in _nodes.Where(n => n != node).Select(n => n.Id.Value).Append(SimulatedNetwork.StoreEndpoint))
                {
                    if (Random.Next(3) > 0)
                    {
                        cuts.Add((node.Id.Value, other));
                    }

                    if (Random.Next(3) > 0)
                    {
                        cuts.Add((other, node.Id.Value));
                    }
                }

                Record(node, $"partition {string.Join(",", cuts)}");
                cuts.ForEach(c => Network.Cut(c.Item1, c.Item2));
                Schedule(100_000 + Random.NextInt64(1_000_000), () => cuts.ForEach(c => Network.Restore(c.Item1, c.Item2)));
                break;
        }

        Schedule(NextFaultDelay(), InjectFault);
    }

    private void StartHandOver(SimulatedNode leader)
    {
        var replica = leader.Replica!;
        var epoch = replica.Epoch;
        if (replica.HandOver())
        {
            _handOvers.Add((leader.Id, replica.HandingOverTo!.Value, epoch));
            Record(leader, $"hand over epoch {epoch} to {replica.HandingOverTo}");
        }
    }

    /// <summary>During the fault phase, at the fault rate: the current leader changes its replica set (<see cref="ChangeReplicaSet"/>).</summary>
    private void InjectReplicaSetChange()
    {
        if (_healed)
        {
            return;
        }

        if (_nodes.FirstOrDefault(n => n.Alive && !n.Paused && n.Replica!.Role == ReplicaRole.Leader) is { } leader)
        {
            var remove = Random.Next(4) > 0;
            var add = Random.Next(4) > 0;
            leader.Run(() => ChangeReplicaSet(leader, remove, add), "replica-set change");
        }

        Schedule(NextFaultDelay() / 2, InjectReplicaSetChange);
    }

    /// <summary>
    /// The leader removes a replica outside its in-sync set (when <paramref name="remove"/> and there is one) and adds one
    /// that is not in the set (when <paramref name="add"/> and there is one), both picked by the run's random.
    /// </summary>
    private void ChangeReplicaSet(SimulatedNode leader, bool remove, bool add)
    {
        var replica = leader.Replica!;
        if (replica.Configuration is not { } view)
        {
            return;
        }

        var removable = view.Replicas.Where(r => r != replica.Id && !view.IsInSync(r)).ToList();
        var addable = _nodes.Select(n => n.Id).Where(r => !view.Replicas.Contains(r)).ToList();
        ReplicaId? leaving = remove && removable.Count > 0 ? removable[Random.Next(removable.Count)] : null;
        ReplicaId? joining = add && addable.Count > 0 ? addable[Random.Next(addable.Count)] : null;
        if ((leaving is not null || joining is not null) && replica.ChangeReplicas(leaving, joining))
        {
            _replicaSetChanges++;
            Record(leader, $"replica set: remove {leaving?.ToString() ?? "none"}, add {joining?.ToString() ?? "none"} ({view})");
        }
    }

    /// <summary>During the fault phase, at twice the fault rate: the current leader takes one step of a move (<see cref="MoveStep"/>).</summary>
    private void InjectReplicaMove()
    {
        if (_healed)
        {
            return;
        }

        if (_nodes.FirstOrDefault(n => n.Alive && !n.Paused && n.Replica!.Role == ReplicaRole.Leader) is { } leader)
        {
            var addFirst = Random.Next(2) == 0;
            leader.Run(() => MoveStep(leader, addFirst), "replica move");
        }

        Schedule(NextFaultDelay() / 2, InjectReplicaMove);
    }

    /// <summary>
    /// One step of a move: adds a replica that is not in the set (when <paramref name="addFirst"/> and there is one), else
    /// removes a follower picked by the run's random, in the in-sync set or not (<c>Replica.RemoveFollower</c>).
    /// </summary>
    private void MoveStep(SimulatedNode leader, bool addFirst)
    {
        var replica = leader.Replica!;
        if (replica.Configuration is not { } view)
        {
            return;
        }

        var addable = _nodes.Select(n => n.Id).Where(r => !view.Replicas.Contains(r)).ToList();
        if (addFirst && addable.Count > 0)
        {
            var joining = addable[Random.Next(addable.Count)];
            if (replica.ChangeReplicas(null, joining))
            {
                _replicaSetChanges++;
                Record(leader, $"move: add {joining} ({view})");
            }

            return;
        }

        var followers = view.Replicas.Where(r => r != replica.Id).ToList();
        if (followers.Count == 0)
        {
            return;
        }

        var leaving = followers[Random.Next(followers.Count)];
        if (replica.RemoveFollower(leaving))
        {
            _replicaSetChanges++;
            _inSyncRemovals += view.IsInSync(leaving) ? 1 : 0;
            Record(leader, $"move: remove {leaving}{(view.IsInSync(leaving) ? " (in sync)" : "")} ({view})");
        }
    }

    /// <summary>
    /// During the fault phase, every <see cref="RetireCheckMicroseconds"/>: the node's silo retires its replica once the
    /// store names it nowhere and it neither leads nor hands over (stopped as a crash stops it, then
    /// <see cref="FinishRetire"/>), and starts a retired one again, empty, once the store names it again.
    /// </summary>
    private void RetireLoop(SimulatedNode node)
    {
        if (_healed)
        {
            return;
        }

        var row = Store.Current;
        var named = row.Replicas.Contains(node.Id) || row.Leader == node.Id || row.IsInSync(node.Id);
        if (!node.Alive && node.Retired && named)
        {
            Record(node, "added back after its retirement: starts empty");
            _retiredReAdded++;
            node.Start();
        }
        else if (node.Alive && !node.Paused && !named && node.Replica!.Role != ReplicaRole.Leader && node.Replica.HandingOverTo is null)
        {
            var surviving = Random.Next(node.Disk.UnsyncedCount + 1);
            Record(node, $"retire: the store no longer names it ({row}); stopped");
            node.Crash(surviving);
            Schedule(NetworkDelay() + NetworkDelay(), () => FinishRetire(node));
        }

        Schedule(RetireCheckMicroseconds, () => RetireLoop(node));
    }

    /// <summary>
    /// A store round trip after the stop: the silo reads the row again; named again (added back while it stopped), the
    /// replica restarts over its disk, else its disk is wiped.
    /// </summary>
    private void FinishRetire(SimulatedNode node)
    {
        if (node.Alive)
        {
            return;
        }

        if (Store.Current.Replicas.Contains(node.Id))
        {
            Record(node, "retire: added back while it stopped; restarts over its disk");
            node.Start();
            return;
        }

        Record(node, "retire: disk wiped");
        node.Wipe();
        _retirements++;
    }

    private void Crash(SimulatedNode node)
    {
        var surviving = Random.Next(node.Disk.UnsyncedCount + 1);
        Record(node, $"crash (keeps {surviving} of {node.Disk.UnsyncedCount} unsynced operations)");
        node.Crash(surviving);
        _crashes++;
        Schedule(20_000 + Random.NextInt64(Random.Next(3) == 0 ? 3_000_000 : 800_000), () => Restart(node));
    }

    private void Restart(SimulatedNode node)
    {
        if (!node.Alive && !node.Retired)
        {
            Record(node, "restart");
            node.Start();
        }
    }

    private void Resume(SimulatedNode node, int incarnation)
    {
        if (node.Alive && node.Paused && node.Incarnation == incarnation)
        {
            Record(node, "resume");
            node.Resume();
        }
    }

    private void Heal()
    {
        _healed = true;
        _appending = false;
        Network.Healed = true;
        Record(null, "heal");
        foreach (var node in _nodes)
        {
            if (!node.Alive)
            {
                node.Start();
            }
            else if (node.Paused)
            {
                node.Resume();
            }
        }

        Schedule(ConvergenceCheckMicroseconds, CheckConvergence);
    }

    private void CheckConvergence()
    {
        var configuration = Store.Current;
        var leader = Node(configuration.Leader).Replica;
        if (configuration.Replicas.Length < _nodes.Count && leader is { Role: ReplicaRole.Leader })
        {
            // Healing: the leader takes every replica back into the set (a proposal refused now is tried at the next check).
            var node = Node(configuration.Leader);
            node.Run(() => ChangeReplicaSet(node, remove: false, add: true), "replica-set change");
        }

        // The synced histories are compared last: they cost O(log) per replica, the rest O(1).
        _converged = configuration.InSync.Length == _nodes.Count
            && leader is { Role: ReplicaRole.Leader } && leader.Epoch == configuration.Epoch
            && _nodes.All(n => n.Replica!.Log.EndOffset == n.Disk.DurableEndOffset)
            && Checker.Divergence(_nodes) is null;
        if (!_converged)
        {
            Schedule(ConvergenceCheckMicroseconds, CheckConvergence);
        }
        else if (!_linkCutDone && Settings.LinkCutMilliseconds > 0 && _nodes.Count >= 3)
        {
            _converged = false;
            StartLinkCut(Node(configuration.Leader));
        }
    }

    /// <summary>
    /// How long after the cut a replica on the other side must acknowledge: its leader timeout and stagger, then the
    /// leader's lag timeout (the new leader removes the cut one once it re-added the other follower), with two poll
    /// intervals and half a second for store round trips and delays.
    /// </summary>
    internal TimeSpan LinkCutFailoverBound()
    {
        var options = Settings.ReplicaOptions;
        return options.LeaderTimeout + (options.HeartbeatInterval * (_nodes.Count + 1)) + options.FollowerLagTimeout
            + (options.ConfigurationPollInterval * 2) + TimeSpan.FromMilliseconds(500);
    }

    private void StartLinkCut(SimulatedNode leader)
    {
        _linkCutDone = true;
        var epoch = leader.Replica!.Epoch;
        _linkCut = (leader.Id, epoch, Clock.NowMicroseconds);
        Record(leader, $"link cut: isolated from the other replicas (not from the store) as leader of epoch {epoch}");
        Network.Isolate(leader.Id);
        Checker.WatchLinkCut(leader.Id, epoch);
        SetDeadline(Clock.NowMicroseconds + ((Settings.LinkCutMilliseconds + (long)Settings.ConvergenceDeadlineMilliseconds) * 1000));
        _appending = true;
        Schedule(NextAppendDelay(), ClientAppend);
        Schedule((long)LinkCutFailoverBound().TotalMicroseconds, CheckFailoverAcrossCut);
        Schedule(Math.Max(Settings.LinkCutMilliseconds * 1000L, (long)LinkCutFailoverBound().TotalMicroseconds + 500_000), EndLinkCut);
    }

    private void CheckFailoverAcrossCut()
    {
        var (cut, epoch, since) = _linkCut!.Value;
        if (Checker.FirstAcknowledgementAcrossCut is null)
        {
            throw new SimulationViolationException(
                $"t={Clock.NowMicroseconds / 1000.0:F3} ms: link cut of {cut} (leader of epoch {epoch}) at t={since / 1000.0:F3} ms: "
                + $"no other replica acknowledged within {LinkCutFailoverBound().TotalMilliseconds} ms; store {Store.Current}");
        }
    }

    private void EndLinkCut()
    {
        var (cut, epoch, since) = _linkCut!.Value;
        var first = Checker.FirstAcknowledgementAcrossCut!.Value;
        var configuration = Store.Current;
        if (configuration.Epoch != first.Epoch || configuration.Leader != first.Replica)
        {
            throw new SimulationViolationException(
                $"t={Clock.NowMicroseconds / 1000.0:F3} ms: link cut of {cut} (leader of epoch {epoch}) at t={since / 1000.0:F3} ms: "
                + $"{first.Replica} acknowledged in epoch {first.Epoch} at t={first.Time / 1000.0:F3} ms, but the lead moved on during the cut: store {configuration}");
        }

        Record(null, "link cut healed");
        Network.EndIsolation();
        _appending = false;
        Schedule(ConvergenceCheckMicroseconds, CheckConvergence);
    }
}
