namespace Actors.Cluster.Messaging;

/// <summary>What a silo-to-silo request carries (its payload codec is named after it).</summary>
public enum SiloMessageType : byte
{
    /// <summary>Liveness and round-trip measurement; empty payload and response.</summary>
    Ping = 1,

    /// <summary>A grain call forwarded to the silo that serves it.</summary>
    Call = 2,

    /// <summary>A cancellable token argument of a forwarded call fired on the calling silo.</summary>
    CancelCall = 3,

    /// <summary>Register an activation with the grain's directory owner.</summary>
    DirectoryRegister = 10,

    /// <summary>Remove an activation's directory entry.</summary>
    DirectoryUnregister = 11,

    /// <summary>Where is a grain activated?</summary>
    DirectoryLookup = 12,

    /// <summary>A new directory owner collects the registrations of its partitions from every live silo.</summary>
    DirectoryCollect = 13,

    /// <summary>A partition's owner starts sending the partition's files to its new owner.</summary>
    TransferBegin = 20,

    /// <summary>A piece of a partition file.</summary>
    TransferChunk = 21,

    /// <summary>All files sent: verify, make durable and install them.</summary>
    TransferCommit = 22,

    /// <summary>The transfer is abandoned: delete what was staged.</summary>
    TransferAbort = 23,

    /// <summary>The cluster store granted the receiver the partition: open its logs and serve.</summary>
    OwnershipGranted = 24,

    /// <summary>A replication message between two replicas of a partition log (one-way: the response is empty and ignored).</summary>
    Replication = 30,
}
