using System.Diagnostics;
using System.Text;
using Actors.Replication.Options;
using Actors.Replication.Protocol;
using Actors.Replication.Wal;
using Actors.Wal.Entries;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Fault scenarios over <see cref="HostedReplicas"/> (real disks, threads and time), shared by the in-process store and
/// the PostgreSQL store test classes. Each returns a line describing what it measured.
/// </summary>
internal static class ReplicaHostScenarios
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>Timing for failover: fast heartbeats, timeouts loose enough for a loaded machine.</summary>
    public static ReplicaOptions FailoverOptions() => new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        FollowerLagTimeout = TimeSpan.FromSeconds(1),
        LeaderTimeout = TimeSpan.FromMilliseconds(500),
        ConfigurationPollInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Timeouts far beyond any test: however loaded the machine, the leader and the in-sync set never change.</summary>
    public static ReplicaOptions StableOptions() => new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        FollowerLagTimeout = TimeSpan.FromHours(1),
        LeaderTimeout = TimeSpan.FromHours(1),
    };

    /// <summary>
    /// 100 acknowledged appends, the leader killed, 100 more through its successor, the old leader restarted over its
    /// disk: it catches up and rejoins, every log holds every acknowledged entry, and the three logs are identical.
    /// </summary>
    public static async Task<string> LeaderKilledAsync(HostedReplicas replicas)
    {
        var acked = new List<Acknowledged>();
        await AppendManyAsync(replicas, "before", 100, acked);
        var oldLeader = (await replicas.LeaderAsync(1, Generous)).Id;
        var oldEpoch = replicas[oldLeader].Status.Epoch;

        var sinceKill = Stopwatch.StartNew();
        await replicas.KillAsync(oldLeader);
        var newLeader = await replicas.LeaderAsync(oldEpoch + 1, Generous);
        var leaderAfter = sinceKill.Elapsed;
        await AppendManyAsync(replicas, "after", 1, acked);
        var firstAppendAfter = sinceKill.Elapsed;
        await AppendManyAsync(replicas, "after-more", 99, acked);

        Assert.NotEqual(oldLeader, newLeader.Id);
        replicas.Start(oldLeader);
        await replicas.WaitUntilAsync(
            configuration => configuration.InSync.Length == 3
                && replicas.Running.Select(h => h.Status.DurableLsn).Distinct().Count() == 1
                && replicas.Running.All(h => h.Status.EndLsn == h.Status.DurableLsn),
            Generous,
            $"the restarted {oldLeader} catching up and rejoining the in-sync set");
        await replicas.StopAllAsync();

        var logs = replicas.Ids.ToDictionary(id => id, replicas.ReadStoppedLog);
        foreach (var (id, log) in logs)
        {
            AssertHoldsEveryAcknowledged(log, acked, id);
            Assert.Equal(Describe(logs[replicas.Ids[0]]), Describe(log));
        }

        return $"kill of {oldLeader} (epoch {oldEpoch}) -> {newLeader.Id} leads after {leaderAfter.TotalMilliseconds:F0} ms, "
            + $"first acknowledged append after {firstAppendAfter.TotalMilliseconds:F0} ms; {acked.Count} acknowledged, none lost";
    }

    /// <summary>
    /// The leader paused (as SIGSTOP) with an append queued; a successor takes over and acknowledges; the paused leader's
    /// read lease has run out by then; on resume the old leader's append is refused or of unknown outcome (never
    /// acknowledged), and it follows the new epoch.
    /// </summary>
    public static async Task<string> LeaderPausedAsync(HostedReplicas replicas)
    {
        var acked = new List<Acknowledged>();
        await AppendManyAsync(replicas, "before", 20, acked);
        var zombie = await replicas.LeaderAsync(1, Generous);
        var zombieEpoch = zombie.Status.Epoch;
        await replicas.WaitUntilAsync(_ => zombie.HoldsReadLease(), Generous, $"the leader {zombie.Id} holding its read lease");

        zombie.Pause();
        var zombieAppend = zombie.AppendAsync(Encoding.UTF8.GetBytes("zombie"));
        var successor = await replicas.LeaderAsync(zombieEpoch + 1, Generous);
        // The successor was elected only after the paused leader's read lease ran out (real time ran on while it was paused).
        Assert.False(zombie.HoldsReadLease(), $"the paused leader {zombie.Id} still holds its read lease after {successor.Id} took epoch {successor.Status.Epoch}");
        await AppendManyAsync(replicas, "after", 20, acked);
        Assert.False(zombie.HoldsReadLease());
        zombie.Resume();

        var refusal = await Assert.ThrowsAnyAsync<ReplicationException>(() => zombieAppend.WaitAsync(Generous));
        Assert.True(
            refusal is NotLeaderException or AppendOutcomeUnknownException,
            $"the paused leader's append must be refused or of unknown outcome, was {refusal.GetType().Name}: {refusal.Message}");
        var successorEpoch = successor.Status.Epoch;
        await replicas.WaitUntilAsync(
            _ => zombie.Status is { Role: ReplicaRole.Follower } status && status.Epoch >= successorEpoch
                && status.DurableLsn >= acked.Max(a => a.Result.Lsn),
            Generous,
            $"the former leader {zombie.Id} following epoch {successorEpoch} and catching up");
        await replicas.StopAllAsync();

        foreach (var id in replicas.Ids)
        {
            AssertHoldsEveryAcknowledged(replicas.ReadStoppedLog(id), acked, id);
        }

        return $"paused {zombie.Id} (epoch {zombieEpoch}); {successor.Id} took epoch {successorEpoch}; the paused leader's append ended {refusal.GetType().Name}";
    }

    /// <summary>Appends <paramref name="count"/> entries through whichever replica leads, retrying refused ones, and records the acknowledged.</summary>
    public static async Task AppendManyAsync(HostedReplicas replicas, string prefix, int count, List<Acknowledged> acked)
    {
        var deadline = DateTime.UtcNow + Generous;
        for (var i = 0; i < count; i++)
        {
            var payload = $"{prefix}-{i}";
            while (true)
            {
                var leader = await replicas.LeaderAsync(1, Generous);
                try
                {
                    acked.Add(new Acknowledged(payload, await leader.AppendAsync(Encoding.UTF8.GetBytes(payload)).WaitAsync(Generous)));
                    break;
                }
                catch (Exception exception) when (exception is NotLeaderException or AppendOutcomeUnknownException && DateTime.UtcNow < deadline)
                {
                    // Leadership moved: the retry goes to the next leader (a duplicate of an unknown outcome is harmless here).
                }
            }
        }
    }

    public static void AssertHoldsEveryAcknowledged(IReadOnlyList<LoggedEntry> log, IEnumerable<Acknowledged> acked, ReplicaId replica)
    {
        foreach (var (payload, result) in acked)
        {
            Assert.True(result.Lsn <= log.Count, $"{replica}: acknowledged '{payload}' at LSN {result.Lsn} (epoch {result.Epoch}) but the log ends at {log.Count}");
            var entry = log[(int)result.Lsn - 1];
            Assert.True(
                entry.Epoch == result.Epoch && Encoding.UTF8.GetString(entry.Payload.Span) == payload,
                $"{replica}: LSN {result.Lsn} holds '{Encoding.UTF8.GetString(entry.Payload.Span)}' of epoch {entry.Epoch}, acknowledged '{payload}' of epoch {result.Epoch}");
        }
    }

    private static IEnumerable<(long Lsn, long Epoch, string Payload)> Describe(IReadOnlyList<LoggedEntry> log)
        => log.Select(e => (e.Lsn, e.Epoch, Encoding.UTF8.GetString(e.Payload.Span)));

    /// <summary>An acknowledged append: its payload and where it was acknowledged.</summary>
    public readonly record struct Acknowledged(string Payload, ReplicatedAppendResult Result);
}
