namespace Actors.Wal;

/// <summary>An erase (<see cref="WriteAheadLog.DeleteEventsToAsync"/>) that cannot be carried out; nothing was erased.</summary>
public sealed class EraseRejectedException : RequestRejectedException
{
    /// <summary>Creates the exception.</summary>
    public EraseRejectedException(string streamId, long toVersion, string reason)
        : base(streamId, $"Erasing the events of stream '{streamId}' up to version {toVersion} was rejected: {reason}.")
    {
        ToVersion = toVersion;
        Reason = reason;
    }

    /// <summary>The newest version the erase named.</summary>
    public long ToVersion { get; }

    /// <summary>Why it was rejected.</summary>
    public string Reason { get; }
}
