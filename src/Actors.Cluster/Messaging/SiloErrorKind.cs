namespace Actors.Cluster.Messaging;

/// <summary>How an error response is to be raised on the requesting silo.</summary>
internal enum SiloErrorKind : byte
{
    /// <summary>Any exception: raised as a <see cref="Actors.Invocation.RemoteGrainException"/> with the original type name and message.</summary>
    Remote = 0,

    /// <summary><see cref="PartitionUnavailableException"/>: detail carries the partition, owner and reason.</summary>
    PartitionUnavailable = 1,

    /// <summary><see cref="SiloUnavailableException"/>.</summary>
    SiloUnavailable = 2,

    /// <summary><see cref="TimeoutException"/>.</summary>
    Timeout = 3,
}
