using Microsoft.Extensions.Logging;

namespace Actors.Runtime;

/// <summary>The runtime's source-generated log messages.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Activated grain {GrainId}")]
    public static partial void Activated(this ILogger logger, GrainId grainId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Activation of grain {GrainId} ({GrainClass}) failed; the calls waiting for it fail with the exception")]
    public static partial void ActivationFailed(this ILogger logger, Exception exception, GrainId grainId, string? grainClass);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Deactivated grain {GrainId} ({Reason})")]
    public static partial void Deactivated(this ILogger logger, GrainId grainId, DeactivationReasonCode reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Deactivation of grain {GrainId} failed in {Phase}")]
    public static partial void DeactivationFailed(this ILogger logger, Exception exception, GrainId grainId, string phase);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Call {Method} to grain {GrainId} got no response within {Timeout}")]
    public static partial void CallTimedOut(this ILogger logger, string method, GrainId grainId, TimeSpan timeout);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Collected {Count} idle activations")]
    public static partial void Collected(this ILogger logger, int count);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Silo {SiloName} deactivating {Count} activations (grace period {GracePeriod})")]
    public static partial void ShuttingDown(this ILogger logger, string siloName, int count, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Silo {SiloName} shutdown grace period {GracePeriod} ended with {Count} activations still deactivating")]
    public static partial void ShutdownGraceExpired(this ILogger logger, string siloName, TimeSpan gracePeriod, int count);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Silo {SiloName} killed: {Count} activations dropped without deactivation")]
    public static partial void Killed(this ILogger logger, string siloName, int count);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Storage of grain {GrainId} failed in {Operation}; the activation deactivates so the next one reloads from storage")]
    public static partial void StorageFailed(this ILogger logger, Exception exception, GrainId grainId, string operation);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Abrupt-stop participant {Participant} failed")]
    public static partial void AbandonFailed(this ILogger logger, Exception exception, string participant);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "The runtime's {Timer} failed; it runs again at its next period")]
    public static partial void TimerFailed(this ILogger logger, Exception exception, string timer);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Stuck grain {GrainId}: call {Method} has been running for {Running} (threshold {Threshold}); {Queued} requests wait behind it")]
    public static partial void StuckTurn(this ILogger logger, GrainId grainId, string method, TimeSpan running, int queued, TimeSpan threshold);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Stuck grain {GrainId}: call {Method} has waited {Waited} in the activation's queue (threshold {Threshold}) behind {Running} running requests (activation {State})")]
    public static partial void StuckInQueue(this ILogger logger, GrainId grainId, string method, TimeSpan waited, int running, ActivationState state, TimeSpan threshold);

    [LoggerMessage(EventId = 114, Level = LogLevel.Error, Message = "Stuck grain {GrainId}: call {Method} has waited {Waited} in the activation's queue (threshold {Threshold}) while no request runs (activation {State}, {Queued} queued); the activation is not making progress")]
    public static partial void ActivationNotProgressing(this ILogger logger, GrainId grainId, string method, TimeSpan waited, ActivationState state, int queued, TimeSpan threshold);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Timer callback {Callback} of grain {GrainId} failed; the timer keeps its schedule")]
    public static partial void TimerCallbackFailed(this ILogger logger, Exception exception, GrainId grainId, string callback);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Reminder service loaded {Count} reminders from {Partitions} partitions")]
    public static partial void RemindersLoaded(this ILogger logger, int count, int partitions);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Reminder {ReminderName} of grain {GrainId}: delivering the tick of {TickTime:O} failed; the schedule continues")]
    public static partial void ReminderTickFailed(this ILogger logger, Exception exception, string reminderName, GrainId grainId, DateTime tickTime);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Reminder {ReminderName} of grain {GrainId}: the tick of {TickTime:O} was delivered but could not be recorded; it is delivered again after a restart")]
    public static partial void ReminderTickNotRecorded(this ILogger logger, Exception exception, string reminderName, GrainId grainId, DateTime tickTime);

    [LoggerMessage(EventId = 116, Level = LogLevel.Error, Message = "The [MayInterleave] predicate of grain {GrainId} threw for {Method}; the request waits its turn")]
    public static partial void MayInterleaveFailed(this ILogger logger, Exception exception, GrainId grainId, string method);

    [LoggerMessage(EventId = 117, Level = LogLevel.Debug, Message = "One-way call {Method} to grain {GrainId} failed; its caller did not wait for the outcome")]
    public static partial void OneWayCallFailed(this ILogger logger, Exception exception, string method, GrainId grainId);
}
