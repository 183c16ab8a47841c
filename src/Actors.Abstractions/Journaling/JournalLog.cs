using Microsoft.Extensions.Logging;

namespace Actors.Journaling;

/// <summary>The journal's log messages (category <c>Actors.Journaling</c>).</summary>
internal static partial class JournalLog
{
    /// <summary>The logger category.</summary>
    public const string Category = "Actors.Journaling";

    [LoggerMessage(1, LogLevel.Error, "Grain {GrainId} could not confirm {EventCount} raised events ({Operation}); the outcome is unknown, the activation deactivates and the next one replays what the store holds")]
    public static partial void ConfirmFailed(ILogger logger, Exception exception, string grainId, int eventCount, string operation);

    [LoggerMessage(2, LogLevel.Error, "Grain {GrainId}: the store rejected {EventCount} raised events; nothing was stored, they are dropped and the next ConfirmEvents reports it")]
    public static partial void EventsRejected(ILogger logger, Exception exception, string grainId, int eventCount);

    [LoggerMessage(3, LogLevel.Warning, "Grain {GrainId}: the journal is not at the expected version {ExpectedVersion} (attempt {Attempt}); catching up with the stored events and retrying")]
    public static partial void VersionConflict(ILogger logger, Exception exception, string grainId, long expectedVersion, int attempt);

    [LoggerMessage(4, LogLevel.Warning, "Grain {GrainId}: the journal store failed after confirming version {Version}; the events are durable, the activation deactivates and reloads")]
    public static partial void ConfirmedObserverFailed(ILogger logger, Exception exception, string grainId, long version);

    [LoggerMessage(5, LogLevel.Warning, "Grain {GrainId}: {Callback} threw; the journal carries on")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string grainId, string callback);
}
