namespace Actors.Journaling;

/// <summary>
/// <c>RetrieveConfirmedEvents</c> asked for confirmed events that the grain's journal store no longer holds (for
/// example a write-ahead-log store whose history policy reclaims events once a checkpoint covers them). Names the
/// grain, the range asked for, the oldest version still stored and why the rest is gone. Nothing was changed.
/// </summary>
/// <remarks>
/// Derives from <see cref="NotSupportedException"/>, which Orleans documents for events that are not available, so
/// code written for Orleans that catches that type keeps working.
/// </remarks>
[GenerateSerializer]
public sealed class EventHistoryUnavailableException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="grainId">The grain.</param>
    /// <param name="fromVersion">The first event version asked for.</param>
    /// <param name="toVersion">The last event version asked for.</param>
    /// <param name="oldestAvailableVersion">The oldest event version the store still holds.</param>
    /// <param name="reason">Why the events are gone, naming the store's history policy and how to change it.</param>
    /// <param name="innerException">The store's own error, if any.</param>
    public EventHistoryUnavailableException(GrainId grainId, long fromVersion, long toVersion, long oldestAvailableVersion, string reason, Exception? innerException = null)
        : base($"Events {fromVersion}..{toVersion} of grain '{grainId}' are no longer stored; the oldest available version is {oldestAvailableVersion}. {reason}", innerException)
    {
        GrainId = grainId;
        FromVersion = fromVersion;
        ToVersion = toVersion;
        OldestAvailableVersion = oldestAvailableVersion;
    }

    /// <summary>The grain.</summary>
    [Id(0)]
    public GrainId GrainId { get; }

    /// <summary>The first event version asked for.</summary>
    [Id(1)]
    public long FromVersion { get; }

    /// <summary>The last event version asked for.</summary>
    [Id(2)]
    public long ToVersion { get; }

    /// <summary>The oldest event version the store still holds.</summary>
    [Id(3)]
    public long OldestAvailableVersion { get; }
}
