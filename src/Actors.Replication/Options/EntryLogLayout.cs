namespace Actors.Replication.Options;

/// <summary>How a silo keeps the entry logs of the replicas it hosts on disk (<see cref="ReplicaOptions.EntryLogLayout"/>).</summary>
public enum EntryLogLayout
{
    /// <summary>
    /// One journal per silo holds the entries of every replica it hosts (Actors.Wal's EntryJournal): one group fsync
    /// makes the recent writes of all of them durable, and a replica's driver loop goes on while it runs. Each replica's
    /// entered epoch and checkpoint stay in files of its own directory. The default.
    /// </summary>
    SharedJournal = 0,

    /// <summary>Each replica's entries in segment files of its own directory (Actors.Wal's EntryLog): one fsync per replica per burst, made on its driver loop.</summary>
    PerReplicaFiles = 1,
}
