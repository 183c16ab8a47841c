using System.Collections.Immutable;

namespace Actors.Replication.Configuration;

/// <summary>
/// The one decision replicas of a partition log must agree on: who leads under which epoch, and which replicas are in
/// sync (hold every acknowledged entry durably). It lives in a linearizable store and changes only by a conditional
/// write on <see cref="Version"/>; replicas never elect among themselves.
/// </summary>
/// <param name="Version">Bumped by one on every accepted write; the condition of the next write.</param>
/// <param name="Epoch">The leader's epoch: bumped when the leader changes, kept when only the in-sync set changes.</param>
/// <param name="Leader">The replica allowed to append under <paramref name="Epoch"/>; always in <paramref name="InSync"/>.</param>
/// <param name="Replicas">Every replica of the partition (leader and followers), sorted.</param>
/// <param name="InSync">The in-sync set, sorted: an append is acknowledged only when durable on all of them.</param>
public sealed record ReplicaConfiguration(
    long Version,
    long Epoch,
    ReplicaId Leader,
    ImmutableArray<ReplicaId> Replicas,
    ImmutableArray<ReplicaId> InSync)
{
    /// <summary>The first configuration of a partition: epoch 1, <paramref name="leader"/> leads, all replicas in sync.</summary>
    public static ReplicaConfiguration Initial(ReplicaId leader, IEnumerable<ReplicaId> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var sorted = replicas.Distinct().Order().ToImmutableArray();
        if (!sorted.Contains(leader))
        {
            throw new ArgumentException($"The leader {leader} is not one of the replicas.", nameof(leader));
        }

        return new ReplicaConfiguration(1, 1, leader, sorted, sorted);
    }

    /// <summary>Whether <paramref name="replica"/> is in the in-sync set.</summary>
    public bool IsInSync(ReplicaId replica) => InSync.Contains(replica);

    /// <summary>The configuration that makes <paramref name="candidate"/> leader of the next epoch (same in-sync set).</summary>
    public ReplicaConfiguration WithNewLeader(ReplicaId candidate) =>
        this with { Version = Version + 1, Epoch = Epoch + 1, Leader = candidate };

    /// <summary>The configuration with <paramref name="inSync"/> as the in-sync set (same leader and epoch).</summary>
    public ReplicaConfiguration WithInSync(IEnumerable<ReplicaId> inSync) =>
        this with { Version = Version + 1, InSync = inSync.Distinct().Order().ToImmutableArray() };

    /// <summary>
    /// The configuration with <paramref name="replicas"/> as the replica set (same leader, epoch and in-sync set, which must
    /// stay within it).
    /// </summary>
    public ReplicaConfiguration WithReplicas(IEnumerable<ReplicaId> replicas) =>
        this with { Version = Version + 1, Replicas = replicas.Distinct().Order().ToImmutableArray() };

    /// <summary>
    /// Fails with <see cref="ArgumentException"/> unless <paramref name="proposal"/> may be written over version
    /// <paramref name="expectedVersion"/>: its version is the next one and its leader is one of its in-sync replicas.
    /// Every store calls this before writing.
    /// </summary>
    public static void ValidateProposal(long expectedVersion, ReplicaConfiguration proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (proposal.Version != expectedVersion + 1)
        {
            throw new ArgumentException(
                $"A proposal conditioned on version {expectedVersion} must carry version {expectedVersion + 1}, not {proposal.Version}.",
                nameof(proposal));
        }

        if (!proposal.InSync.Contains(proposal.Leader) || proposal.InSync.Any(r => !proposal.Replicas.Contains(r)))
        {
            throw new ArgumentException($"The proposal's in-sync set must hold its leader and only its replicas: {proposal}.", nameof(proposal));
        }
    }

    /// <summary>Whether two configurations hold the same decision (value equality over the arrays too).</summary>
    public bool SameAs(ReplicaConfiguration other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Version == other.Version && Epoch == other.Epoch && Leader == other.Leader
            && Replicas.SequenceEqual(other.Replicas) && InSync.SequenceEqual(other.InSync);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"v{Version} epoch {Epoch} leader {Leader} in-sync [{string.Join(",", InSync)}] of [{string.Join(",", Replicas)}]";
}
