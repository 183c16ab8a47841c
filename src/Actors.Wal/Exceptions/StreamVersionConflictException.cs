namespace Actors.Wal;

/// <summary>An append or delete expected a different stream version. Nothing was written (a rejection).</summary>
public sealed class StreamVersionConflictException : WalException
{
    /// <summary>Creates the exception.</summary>
    public StreamVersionConflictException(string streamId, long expectedVersion, long actualVersion)
        : base($"Stream '{streamId}' is at version {actualVersion}, but the write expected version {expectedVersion}. Nothing was written.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The stream written.</summary>
    public string StreamId { get; }

    /// <summary>The version the caller expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The stream's actual version.</summary>
    public long ActualVersion { get; }
}
