namespace Actors.Orleans;

/// <summary>
/// <c>RetrieveConfirmedEvents</c> asked for events the log no longer keeps: the grain's history policy reclaims events
/// once a checkpoint covers them (<see cref="WriteAheadLogHistory.ReclaimAfterCheckpoint"/>).
/// </summary>
public sealed class EventHistoryReclaimedException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    public EventHistoryReclaimedException(string grain, string streamId, int fromVersion, long oldestAvailableVersion, WriteAheadLogHistory policy, Exception innerException)
        : base($"The events of {grain} from version {fromVersion} are no longer stored (stream '{streamId}'): its history policy is {policy}, so events a checkpoint covers are reclaimed; the oldest version still stored is {oldestAvailableVersion}. Keep the history with [WriteAheadLog(EventHistory = WriteAheadLogHistory.KeepAll)] or the provider's EventHistory option.", innerException)
    {
        ExceptionFacts.Set(this, nameof(StreamId), streamId);
        ExceptionFacts.Set(this, nameof(OldestAvailableVersion), oldestAvailableVersion);
    }

    /// <summary>The log stream.</summary>
    public string StreamId => ExceptionFacts.String(this, nameof(StreamId));

    /// <summary>The oldest event version still stored.</summary>
    public long OldestAvailableVersion => ExceptionFacts.Int64(this, nameof(OldestAvailableVersion));
}
