using System.Diagnostics.Metrics;

namespace Actors.Runtime;

/// <summary>
/// The runtime's metrics (meter <see cref="MeterName"/>): activations created and live, calls, call duration and the
/// number of requests queued at activations. Visible to dotnet-counters and OpenTelemetry without extra code.
/// The activation instruments carry the tag <see cref="GrainTypeTag"/> (the grain type name, e.g. <c>account</c>).
/// </summary>
internal sealed class RuntimeInstruments : IDisposable
{
    public const string MeterName = RuntimeMeter.Name;

    /// <summary>The tag naming the grain type on the activation instruments.</summary>
    public const string GrainTypeTag = "grain.type";

    private readonly Meter _meter;
    private readonly Counter<long> _activationsCreated;
    private readonly UpDownCounter<long> _activations;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _callFailures;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _callTimeouts;
    private readonly Counter<long> _stuckDetections;
    private readonly Counter<long> _reminderTicks;
    private readonly Counter<long> _reminderTickFailures;
    private readonly Histogram<double> _reminderLateness;
    private Func<int> _remindersRegistered = static () => 0;
    private Func<int> _remindersDue = static () => 0;
    private Func<long> _queueLength = static () => 0;
    private Func<int> _stuckCalls = static () => 0;

    public RuntimeInstruments()
    {
        _meter = new Meter(MeterName);
        _activationsCreated = _meter.CreateCounter<long>("actors.activations.created", "{activation}", "Activations started.");
        _activations = _meter.CreateUpDownCounter<long>("actors.activations.count", "{activation}", "Live activations.");
        _calls = _meter.CreateCounter<long>("actors.calls", "{call}", "Grain calls completed in this silo.");
        _callFailures = _meter.CreateCounter<long>("actors.calls.failed", "{call}", "Grain calls that ended with an exception or a timeout.");
        _callDuration = _meter.CreateHistogram<double>("actors.calls.duration", "ms", "Grain call duration from dispatch to result.");
        _callTimeouts = _meter.CreateCounter<long>("actors.calls.timeouts", "{call}", "Grain calls failed by the response timeout.");
        _stuckDetections = _meter.CreateCounter<long>("actors.grains.stuck", "{call}", "Calls the stuck-grain detector reported (tag kind: turn or queue).");
        _meter.CreateObservableGauge("actors.turns.queued", () => _queueLength(), "{request}", "Requests queued at activations and not yet started.");
        _meter.CreateObservableGauge("actors.calls.stuck", () => _stuckCalls(), "{call}", "Calls whose turn runs, or which wait in a queue, longer than the stuck-call threshold now.");
        _meter.CreateObservableGauge("actors.reminders.registered", () => _remindersRegistered(), "{reminder}", "Reminders scheduled by this silo.");
        _meter.CreateObservableGauge("actors.reminders.due", () => _remindersDue(), "{reminder}", "Reminder ticks that are due and whose delivery has not completed.");
        _reminderTicks = _meter.CreateCounter<long>("actors.reminders.ticks", "{tick}", "Reminder ticks whose delivery started.");
        _reminderTickFailures = _meter.CreateCounter<long>("actors.reminders.ticks.failed", "{tick}", "Reminder ticks whose ReceiveReminder failed.");
        _reminderLateness = _meter.CreateHistogram<double>("actors.reminders.lateness", "ms", "How long after its due time a reminder tick's delivery started.");
    }

    /// <summary>This silo's meter (one per silo, so tests can tell silos apart).</summary>
    public Meter Meter => _meter;

    /// <summary>Sets the source of the queued-requests gauge (a counter, never a walk over the activations).</summary>
    public void ObserveQueueLength(Func<long> queueLength) => _queueLength = queueLength;

    /// <summary>Sets the source of the stuck-calls gauge.</summary>
    public void ObserveStuckCalls(Func<int> stuckCalls) => _stuckCalls = stuckCalls;

    public void CallTimedOut() => _callTimeouts.Add(1);

    public void ObserveReminders(Func<int> registered, Func<int> due)
    {
        _remindersRegistered = registered;
        _remindersDue = due;
    }

    public void ReminderTickStarted(TimeSpan lateness)
    {
        _reminderTicks.Add(1);
        _reminderLateness.Record(Math.Max(0, lateness.TotalMilliseconds));
    }

    public void ReminderTickFailed() => _reminderTickFailures.Add(1);

    public void StuckCallDetected(bool running) => _stuckDetections.Add(1, new KeyValuePair<string, object?>("kind", running ? "turn" : "queue"));

    public void ActivationStarted(string grainType)
    {
        var tag = new KeyValuePair<string, object?>(GrainTypeTag, grainType);
        _activationsCreated.Add(1, tag);
        _activations.Add(1, tag);
    }

    public void ActivationEnded(string grainType) => _activations.Add(-1, new KeyValuePair<string, object?>(GrainTypeTag, grainType));

    public void CallCompleted(TimeSpan duration, bool failed)
    {
        _calls.Add(1);
        if (failed)
        {
            _callFailures.Add(1);
        }

        _callDuration.Record(duration.TotalMilliseconds);
    }

    public void Dispose() => _meter.Dispose();
}
