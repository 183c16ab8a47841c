using System.Diagnostics.Metrics;

namespace Actors.Orleans.Diagnostics;

/// <summary>
/// Every instrument of the Orleans providers, on the meter <see cref="MeterName"/> (seen by <c>dotnet-counters</c> and
/// OpenTelemetry without extra code). Each is tagged with the provider's name. Names and units follow OpenTelemetry's
/// conventions: durations are histograms in seconds (<c>s</c>), counts carry a <c>{unit}</c> annotation, sizes <c>By</c>.
/// </summary>
internal static class WalProviderInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Actors.Orleans";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> StateReads = Meter.CreateCounter<long>("actors.orleans.state.reads", "{read}", "Grain states read from the log.");
    private static readonly Counter<long> StateWrites = Meter.CreateCounter<long>("actors.orleans.state.writes", "{write}", "Grain states written to the log (durable when counted).");
    private static readonly Counter<long> StateBytes = Meter.CreateCounter<long>("actors.orleans.state.bytes", "By", "Bytes of grain state records written.");
    private static readonly Counter<long> StateClears = Meter.CreateCounter<long>("actors.orleans.state.clears", "{clear}", "Grain states cleared and erased.");
    private static readonly Counter<long> EtagConflicts = Meter.CreateCounter<long>("actors.orleans.state.etag_conflicts", "{write}", "Writes refused for a stale ETag (InconsistentStateException).");
    private static readonly Counter<long> EventBatches = Meter.CreateCounter<long>("actors.orleans.events.batches", "{batch}", "Confirmed event batches appended (one atomic append each).");
    private static readonly Counter<long> Events = Meter.CreateCounter<long>("actors.orleans.events.appended", "{event}", "Events appended.");
    private static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>("actors.orleans.checkpoints.written", "{checkpoint}", "Checkpoints (snapshots) written.");
    private static readonly Counter<long> CheckpointFailures = Meter.CreateCounter<long>("actors.orleans.checkpoints.failed", "{checkpoint}", "Checkpoints that failed (the data they cover stays durable in the events).");
    private static readonly Histogram<double> Activations = Meter.CreateHistogram<double>("actors.orleans.journal.load.duration", "s", "Time to load a journaled grain: its checkpoint and the events after it.");
    private static readonly Counter<long> ReplayedEvents = Meter.CreateCounter<long>("actors.orleans.journal.replayed_events", "{event}", "Events replayed on top of a checkpoint while loading journaled grains.");

    public static void StateRead(string provider) => StateReads.Add(1, Tag(provider));

    public static void StateWritten(string provider, int bytes)
    {
        StateWrites.Add(1, Tag(provider));
        StateBytes.Add(bytes, Tag(provider));
    }

    public static void StateCleared(string provider) => StateClears.Add(1, Tag(provider));

    public static void EtagConflict(string provider) => EtagConflicts.Add(1, Tag(provider));

    public static void EventsAppended(string provider, int count)
    {
        EventBatches.Add(1, Tag(provider));
        Events.Add(count, Tag(provider));
    }

    public static void CheckpointWritten(string provider) => Checkpoints.Add(1, Tag(provider));

    public static void CheckpointFailed(string provider) => CheckpointFailures.Add(1, Tag(provider));

    public static void JournalLoaded(string provider, double seconds, int replayed)
    {
        Activations.Record(seconds, Tag(provider));
        ReplayedEvents.Add(replayed, Tag(provider));
    }

    private static KeyValuePair<string, object?> Tag(string provider) => new("provider", provider);
}
