namespace Actors.Wal;

/// <summary>Some requested events are no longer stored: reclaimed after a checkpoint covered them, or erased.</summary>
public sealed class EventsReclaimedException : WalException
{
    /// <summary>Creates the exception.</summary>
    public EventsReclaimedException(string streamId, long requestedFromVersion, long oldestAvailableVersion)
        : base($"Events of stream '{streamId}' from version {requestedFromVersion} are no longer stored (reclaimed after a checkpoint, or erased); the oldest available version is {oldestAvailableVersion}.")
    {
        StreamId = streamId;
        RequestedFromVersion = requestedFromVersion;
        OldestAvailableVersion = oldestAvailableVersion;
    }

    /// <summary>The stream read.</summary>
    public string StreamId { get; }

    /// <summary>The first version requested.</summary>
    public long RequestedFromVersion { get; }

    /// <summary>The oldest event version still stored.</summary>
    public long OldestAvailableVersion { get; }
}
