using System.Globalization;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Wal;
using Actors.Wal.IO;
using Microsoft.Extensions.Logging;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Retires this silo's replicas that their partition's row no longer names (the <see cref="ReplicaBalancer"/> moved one to
/// another silo, the <see cref="AbsentReplicaReplacer"/> replaced it): the replica stops (the partition's activations here
/// deactivated, its messaging unregistered, host and applier disposed, materialized log abandoned), its log in the silo's
/// <see cref="Actors.Wal.Entries.Journal.EntryJournal"/> is released (<see cref="Actors.Wal.Entries.Journal.EntryJournal.ReleaseLog"/>,
/// so that the journal's segments only it held are deleted) and its directory <c>{log directory}/replicas/{partition:D5}</c>
/// deleted. Directories left by an earlier process (a replica removed while the silo was down, a retirement a crash
/// interrupted) are removed the same way.
/// </summary>
/// <remarks>
/// <para>Why a replica outside the replica set is never needed (the <see cref="Actors.Replication.Protocol.Replica"/>
/// protocol): an entry is acknowledged only once durable on every member of the leader's in-sync set (the one in the store
/// and, while a change is unresolved, the proposed one too), and only an in-sync replica may be elected; the in-sync set is
/// always within the replica set (<see cref="ReplicaConfiguration.ValidateProposal"/>). So every acknowledged entry lies on
/// every in-sync member of the row, whichever row is current, and recovery (an election, a checkpoint transfer, a
/// follower's catch-up) reads only from them. A replica the row does not name is in no in-sync set from that version on:
/// removing it (<c>RemoveFollower</c>, <c>ChangeReplicas</c>) takes it out of both sets in one conditional write, and it
/// re-enters the in-sync set only after a later write adds it back to the replica set and its leader has seen it hold every
/// acknowledged entry. Its copy therefore serves no one, and deleting it loses nothing.</para>
/// <para>What makes the decision safe here (<see cref="WhyKept"/>): it is taken on a row read after the view's row said the
/// replica was not named (a read that began after the call, <see cref="CoalescedConfigurationReads"/>), whose version is at
/// least that of the row the replica started under (<see cref="HeldReplica.RowVersion"/>), never on a cached or older one;
/// a replica the row names, that leads in it or is in its in-sync set, or whose host still acts as leader or hands over, is
/// kept. Rows change only by conditional writes on their version, so a row at least as new as the one that named the
/// replica and not naming it any more records its removal.</para>
/// <para>Re-added while it stops: the leader may add the replica back after the decision, and an added replica's host, still
/// running, could be counted in sync from its (intact) log. So the host stops first, and the files are deleted only if a
/// row read after the stop still does not name it: from then on no answer of that host can be sent, and a leader that adds
/// the replica back hears only answers to requests it sent after adding it
/// (<c>FollowerProgress.HeardFromStamp</c>), which the new, empty replica gives. If the row names it again, the files stay
/// and the next reconcile starts it over its log as after a restart.</para>
/// <para>Crash safety: a marker file (<see cref="RetiredMarkerFileName"/>) is written durably in the directory before the
/// journal's log is released and the directory deleted; a directory holding the marker is never opened: its retirement is
/// finished first (<see cref="FinishInterrupted"/>), so a replica added back starts empty and never over a journal log
/// released under its checkpoint.</para>
/// <para>Called by <see cref="SiloReplicas"/>, which serializes starts, stops and retirements with its gate.</para>
/// </remarks>
internal sealed partial class ReplicaRetirement(SiloReplicas replicas, ClusterReplica replica, PartitionActivations activations, string replicasRoot, ILogger logger)
{
    /// <summary>The file that marks a replica's directory as being retired (written before its journal log is released).</summary>
    public const string RetiredMarkerFileName = "retired";

    /// <summary>
    /// Why this silo's replica <paramref name="me"/> of a partition is kept rather than retired, judged on <paramref name="row"/>
    /// (a fresh read of the partition's row, or null when it has none) and its host's <paramref name="local"/> status; null
    /// when it may be retired.
    /// </summary>
    /// <param name="me">This silo's replica number.</param>
    /// <param name="startedUnder">The version of the row the replica started under (0: not running).</param>
    /// <param name="row">The partition's row as read now.</param>
    /// <param name="local">The replica's host status (null: not running).</param>
    /// <param name="handingOver">A hand-over of its leadership runs.</param>
    public static string? WhyKept(int me, long startedUnder, ReplicaConfiguration? row, ReplicaStatus? local, bool handingOver = false)
    {
        var id = new ReplicaId(me);
        if (row is null)
        {
            return "the partition has no row";
        }

        if (row.Version < startedUnder)
        {
            return $"the row read (version {row.Version}) is older than the one it started under (version {startedUnder})";
        }

        if (row.Replicas.Contains(id))
        {
            return "the row names it";
        }

        if (row.Leader == id)
        {
            return "it leads in the row";
        }

        if (row.IsInSync(id))
        {
            return "it is in the row's in-sync set";
        }

        if (local is { IsLeader: true } || handingOver)
        {
            return "its host still acts as leader";
        }

        return null;
    }

    /// <summary>
    /// Retires every held replica that <paramref name="rows"/> (the view's rows) no longer name and removes the directories
    /// of replicas not running here that the rows do not name (or whose retirement was interrupted), each confirmed on a
    /// fresh read of the rows (<see cref="WhyKept"/>). Returns how many replicas and directories it removed. A failure is
    /// logged; the next reconcile tries again.
    /// </summary>
    public async Task<int> ReconcileAsync(IReadOnlyCollection<PartitionRow> rows, CancellationToken cancellationToken)
    {
        int me = replica.Id;
        var unnamed = rows.Where(r => !r.Names(me)).Select(r => r.Partition).ToHashSet();
        var held = replicas.Held.Where(h => unnamed.Contains(h.Partition)).ToList();
        var leftovers = LeftoverDirectories().Where(p => replicas.Get(p) is null && (unnamed.Contains(p) || IsMarked(p))).ToList();
        if (held.Count == 0 && leftovers.Count == 0)
        {
            return 0;
        }

        Dictionary<int, ReplicaConfiguration> fresh = await replicas.Reads.ReadAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        int removed = 0;
        foreach (HeldReplica candidate in held)
        {
            ReplicaConfiguration? row = fresh.GetValueOrDefault(candidate.Partition);
            if (WhyKept(me, candidate.RowVersion, row, candidate.Host.Status, candidate.HandingOver) is { } kept)
            {
                LogKept(candidate.Partition, me, kept);
                continue;
            }

            if (await replicas.RetireAsync(candidate.Partition, candidate, () => StopThenRemoveAsync(candidate, row!.Version)).ConfigureAwait(false))
            {
                removed++;
            }
        }

        foreach (int partition in leftovers)
        {
            if (WhyKept(me, 0, fresh.GetValueOrDefault(partition), null) is null || IsMarked(partition))
            {
                removed += await replicas.RetireAsync(partition, null, () =>
                {
                    RemoveFiles(partition, "its directory was left by an earlier run");
                    return Task.CompletedTask;
                }).ConfigureAwait(false) ? 1 : 0;
            }
        }

        return removed;
    }

    /// <summary>
    /// Finishes the retirement of <paramref name="partition"/>'s replica that a crash interrupted (its directory holds the
    /// marker), so that a replica started again starts empty. Under the owner's gate, before the replica's logs are opened.
    /// </summary>
    public void FinishInterrupted(int partition)
    {
        if (IsMarked(partition))
        {
            RemoveFiles(partition, "its retirement was interrupted; it starts empty");
        }
    }

    /// <summary>The directory of <paramref name="partition"/>'s replica.</summary>
    public string DirectoryOf(int partition) => Path.Combine(replicasRoot, partition.ToString("D5", CultureInfo.InvariantCulture));

    /// <summary>Under the owner's gate, the replica taken out of the held ones: stops it, then removes its files unless a row read after the stop names it again.</summary>
    private async Task StopThenRemoveAsync(HeldReplica held, long decidedOn)
    {
        int partition = held.Partition;
        held.StopServing();
        int deactivated = activations.DeactivateAll(partition, $"this silo's replica of partition {partition} left the partition's replica set (row version {decidedOn})");
        await replicas.StopAsync(held, graceful: false).ConfigureAwait(false);

        // Read after the host stopped: no answer of it can be sent any more. Named again, it was added back while it ran, and
        // its leader may count its log: keep it (the next reconcile starts it over that log).
        ReplicaConfiguration after = await replicas.Reads.ReadAsync(partition).ConfigureAwait(false);
        if (after.Replicas.Contains(new ReplicaId(replica.Id)))
        {
            LogAddedBack(partition, replica.Id, after.Version);
            return;
        }

        RemoveFiles(partition, $"row version {after.Version} does not name it");
        LogRetired(partition, replica.Id, decidedOn, deactivated);
    }

    /// <summary>Marker written durably, the journal's log released, the directory deleted (and the deletion synced).</summary>
    private void RemoveFiles(int partition, string why)
    {
        string directory = DirectoryOf(partition);
        if (!Directory.Exists(directory))
        {
            return;
        }

        DurableFile.Replace(PhysicalFileSystem.Instance, directory, RetiredMarkerFileName, RetiredMarkerFileName + ".tmp", []);
        int segments = replicas.Journal().ReleaseLog(partition);
        Directory.Delete(directory, recursive: true);
        PhysicalFileSystem.Instance.SyncDirectory(replicasRoot);
        LogFilesRemoved(partition, directory, segments, why);
    }

    private bool IsMarked(int partition) => File.Exists(Path.Combine(DirectoryOf(partition), RetiredMarkerFileName));

    /// <summary>The partitions that have a replica directory here (names of five digits).</summary>
    private IEnumerable<int> LeftoverDirectories()
    {
        if (!Directory.Exists(replicasRoot))
        {
            yield break;
        }

        foreach (string directory in Directory.EnumerateDirectories(replicasRoot))
        {
            string name = Path.GetFileName(directory);
            if (name.Length == 5 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int partition))
            {
                yield return partition;
            }
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Replica {Replica} of partition {Partition} retired: row version {Version} no longer names it ({Deactivated} activations deactivated); its files are deleted")]
    private partial void LogRetired(int partition, int replica, long version, int deactivated);

    [LoggerMessage(EventId = 121, Level = LogLevel.Debug, Message = "Replica {Replica} of partition {Partition} is kept although the view's row does not name it: {Reason}")]
    private partial void LogKept(int partition, int replica, string reason);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} was added back (row version {Version}) while it stopped to retire: its files are kept and it starts again over them")]
    private partial void LogAddedBack(int partition, int replica, long version);

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Partition {Partition}: the replica's files in {Directory} are deleted ({Why}); {Segments} journal segments reclaimed")]
    private partial void LogFilesRemoved(int partition, string directory, int segments, string why);
}
