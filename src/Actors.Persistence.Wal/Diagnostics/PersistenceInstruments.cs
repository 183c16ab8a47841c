using System.Diagnostics.Metrics;

namespace Actors.Persistence.Wal.Diagnostics;

/// <summary>
/// The provider's <see cref="System.Diagnostics.Metrics"/> instruments (meter <c>Actors.Persistence.Wal</c>), visible
/// to dotnet-counters and OpenTelemetry without extra code. Every measurement is tagged with the store name.
/// </summary>
internal static class PersistenceInstruments
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Actors.Persistence.Wal";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Events = Meter.CreateCounter<long>("actors.persistence.events", "{event}", "Journal events appended.");
    private static readonly Counter<long> StateWrites = Meter.CreateCounter<long>("actors.persistence.state_writes", "{record}", "Persistent-state writes and clears appended.");
    private static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>("actors.persistence.checkpoints", "{checkpoint}", "Grain checkpoints written.");
    private static readonly Counter<long> Replayed = Meter.CreateCounter<long>("actors.persistence.replayed", "{record}", "Records after the checkpoint read when grains activated.");
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>("actors.persistence.rejections", "{write}", "Writes rejected before anything was stored (codec, size).");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("actors.persistence.failures", "{write}", "Writes that failed with an unknown outcome (I/O, closed log, conflict).");
    private static readonly Histogram<double> LoadDuration = Meter.CreateHistogram<double>("actors.persistence.load.duration", "ms", "Time to read a grain's checkpoint and later records.");

    public static void EventsAppended(string store, int count) => Events.Add(count, Tag(store));

    public static void StateRecordsAppended(string store, int count) => StateWrites.Add(count, Tag(store));

    public static void CheckpointWritten(string store) => Checkpoints.Add(1, Tag(store));

    public static void Loaded(string store, int records, TimeSpan elapsed)
    {
        Replayed.Add(records, Tag(store));
        LoadDuration.Record(elapsed.TotalMilliseconds, Tag(store));
    }

    public static void Rejected(string store) => Rejections.Add(1, Tag(store));

    public static void Failed(string store) => Failures.Add(1, Tag(store));

    private static KeyValuePair<string, object?> Tag(string store) => new("store", store);
}
