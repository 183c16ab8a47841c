using System.Text;
using Actors.Wal.Tests.Conformance;

namespace Actors.Wal.Tests.Properties;

/// <summary>
/// Applies an operation sequence to a real <see cref="IEventLog"/> and to <see cref="EventLogModel"/>, and after
/// every step compares the operation's outcome and then every stream (info and latest read).
/// </summary>
/// <remarks>
/// Strict mode (the in-memory log): LSNs must equal the model's (one per record, from 1), rejections must have
/// exactly the model's exception type, and nothing is ever reclaimed. Lenient mode (the file-backed log): LSNs
/// must only grow, every rejection must be a <see cref="RequestRejectedException"/> (or an <see cref="ArgumentException"/> for a programming error), and events at or
/// below a checkpoint or tombstone may be reported reclaimed.
/// </remarks>
internal class ModelChecker(IEventLog log, ConformanceTimeProvider clock, bool strict)
{
    private int _eventCounter;

    protected EventLogModel Model { get; } = new(OperationGenerators.MaxRecordSizeBytes);

    protected ConformanceTimeProvider Clock { get; } = clock;

    protected IEventLog Log { get; set; } = log;

    /// <summary>The highest LSN the log acknowledged so far.</summary>
    protected long LastLsn { get; set; }

    /// <summary>Where the checker is, for failure messages.</summary>
    protected string Position { get; private set; } = "before the first step";

    public async Task RunAsync(IReadOnlyList<LogOperation> operations)
    {
        for (int step = 0; step < operations.Count; step++)
        {
            Position = $"step {step + 1} of {operations.Count} ({operations[step]})";
            await ApplyAsync(operations[step]);
            await CompareAllStreamsAsync();
        }
    }

    /// <summary>Simulates a crash and recovery; only logs that persist support it.</summary>
    protected virtual Task CrashAsync(CrashOperation operation) =>
        throw new InvalidOperationException($"{GetType().Name} cannot simulate crashes ({operation}).");

    protected static string Stream(int index) => OperationGenerators.StreamIds[index];

    /// <summary>A payload of <paramref name="size"/> bytes unique to this run (a counter, repeated).</summary>
    protected byte[] NextPayload(int size)
    {
        byte[] tag = Encoding.ASCII.GetBytes($"#{++_eventCounter};");
        var payload = new byte[size];
        for (int i = 0; i < size; i++)
        {
            payload[i] = tag[i % tag.Length];
        }

        return payload;
    }

    protected async Task CompareAllStreamsAsync()
    {
        for (int s = 0; s < OperationGenerators.ValidStreams; s++)
        {
            string streamId = Stream(s);
            var expectedInfo = Model.Info(streamId);
            var actualInfo = Log.GetStreamInfo(streamId);
            Check(expectedInfo == actualInfo, $"GetStreamInfo(\"{streamId}\") is {actualInfo}; the model says {expectedInfo}");
            await CompareReadAsync(streamId, ReadBound.Latest);
        }
    }

    protected async Task CompareReadAsync(string streamId, ReadBound bound)
    {
        string what = $"ReadStreamAsync(\"{streamId}\", {Describe(bound)})";
        if (!EventLogModel.IsValidStreamId(streamId))
        {
            await ExpectRejectionAsync(what, async () => await Log.ReadStreamAsync(streamId, bound));
            return;
        }

        var expected = Model.Read(streamId, bound);
        var actual = await Log.ReadStreamAsync(streamId, bound);
        Check(actual.Version == expected.Version, $"{what}: version {actual.Version}, expected {expected.Version}");
        Check(actual.IsDeleted == expected.IsDeleted, $"{what}: IsDeleted {actual.IsDeleted}, expected {expected.IsDeleted}");
        if (expected.Checkpoint is null)
        {
            Check(actual.Checkpoint is null, $"{what}: a checkpoint at version {actual.Checkpoint?.Version}, expected none");
        }
        else
        {
            var c = actual.Checkpoint;
            Check(c is not null, $"{what}: no checkpoint, expected one at version {expected.Checkpoint.Version}");
            Check(c!.Version == expected.Checkpoint.Version, $"{what}: checkpoint version {c.Version}, expected {expected.Checkpoint.Version}");
            Check(c.State.Span.SequenceEqual(expected.Checkpoint.Data), $"{what}: checkpoint state differs");
            Check(c.Timestamp == expected.Checkpoint.Timestamp, $"{what}: checkpoint timestamp {c.Timestamp:O}, expected {expected.Checkpoint.Timestamp:O}");
            Check(!strict || c.Lsn == expected.Checkpoint.Lsn, $"{what}: checkpoint LSN {c.Lsn}, expected {expected.Checkpoint.Lsn}");
        }

        CompareEvents(what, expected.Events, actual.Events);
        if (bound.IsLatest && !actual.IsDeleted)
        {
            // The streamed read from the recovery read's first event (after its checkpoint, or after a deletion) is that read's events.
            long from = actual.Events.Count > 0 ? actual.Events[0].Version : actual.Version + 1;
            var streamed = await ReadStreamEventsAsync(streamId, from);
            Check(streamed.Events is not null, $"ReadStreamEventsAsync(\"{streamId}\", {from}): {streamed.Error?.Message}");
            CompareStored($"ReadStreamEventsAsync(\"{streamId}\", {from}) against {what}", actual.Events, streamed.Events!);
        }
    }

    /// <summary>Reads <see cref="IEventLog.ReadStreamEventsAsync"/> to its end, or to the reclaimed error.</summary>
    protected async Task<(List<StoredEvent>? Events, EventsReclaimedException? Error)> ReadStreamEventsAsync(string streamId, long from)
    {
        var events = new List<StoredEvent>();
        try
        {
            await foreach (var stored in Log.ReadStreamEventsAsync(streamId, from))
            {
                events.Add(stored);
            }

            return (events, null);
        }
        catch (EventsReclaimedException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>Checks two reads of the log return the same events (version, LSN, timestamp, payload).</summary>
    protected void CompareStored(string what, IReadOnlyList<StoredEvent> expected, IReadOnlyList<StoredEvent> actual)
    {
        Check(actual.Count == expected.Count, $"{what}: versions {string.Join(",", actual.Select(e => e.Version))}, expected {string.Join(",", expected.Select(e => e.Version))}");
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Check(a.Version == e.Version && a.Lsn == e.Lsn && a.Timestamp == e.Timestamp, $"{what}: event {i} is ({a.Version}, {a.Lsn}, {a.Timestamp:O}), expected ({e.Version}, {e.Lsn}, {e.Timestamp:O})");
            Check(a.Payload.Span.SequenceEqual(e.Payload.Span), $"{what}: payload of version {e.Version} differs");
        }
    }

    protected void CompareEvents(string what, IReadOnlyList<ModelRecord> expected, IReadOnlyList<StoredEvent> actual)
    {
        Check(actual.Count == expected.Count, $"{what}: {actual.Count} events (versions {string.Join(",", actual.Select(e => e.Version))}), expected {expected.Count} (versions {string.Join(",", expected.Select(e => e.Version))})");
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Check(a.Version == e.Version, $"{what}: event {i} has version {a.Version}, expected {e.Version}");
            Check(a.Payload.Span.SequenceEqual(e.Data), $"{what}: payload of version {e.Version} differs");
            Check(a.Timestamp == e.Timestamp, $"{what}: timestamp of version {e.Version} is {a.Timestamp:O}, expected {e.Timestamp:O}");
            Check(!strict || a.Lsn == e.Lsn, $"{what}: LSN of version {e.Version} is {a.Lsn}, expected {e.Lsn}");
            if (i > 0)
            {
                Check(a.Lsn > actual[i - 1].Lsn, $"{what}: LSN of version {a.Version} ({a.Lsn}) does not exceed the previous event's ({actual[i - 1].Lsn})");
            }
        }
    }

    /// <summary>Checks a write the log completed against the model's outcome.</summary>
    protected void CheckStored(string what, ModelOutcome expected, long firstVersion, long lastVersion, long lsn)
    {
        Check(expected.Error is null, $"{what} was stored (versions {firstVersion}..{lastVersion}) but the model rejects it with {expected.Error?.Name}");
        Check(firstVersion == expected.FirstVersion && lastVersion == expected.LastVersion, $"{what} stored versions {firstVersion}..{lastVersion}; the model says {expected.FirstVersion}..{expected.LastVersion}");
        Check(strict ? lsn == expected.Lsn : lsn > LastLsn, $"{what} got LSN {lsn}; {(strict ? $"the model says {expected.Lsn}" : $"it must exceed every earlier acknowledged LSN ({LastLsn})")}");
        LastLsn = Math.Max(LastLsn, lsn);
    }

    /// <summary>Checks a write the log rejected against the model's outcome.</summary>
    protected void CheckRejected(string what, ModelOutcome expected, Exception actual)
    {
        Check(expected.Error is not null, $"{what} was rejected with {actual.GetType().Name} ({actual.Message}) but the model stores it");
        if (expected.Error == typeof(StreamVersionConflictException))
        {
            var conflict = actual as StreamVersionConflictException;
            Check(conflict is not null, $"{what}: {actual.GetType().Name} ({actual.Message}), expected a version conflict");
            Check(conflict!.ExpectedVersion == expected.FirstVersion && conflict.ActualVersion == expected.ConflictActualVersion, $"{what}: conflict reports expected {conflict.ExpectedVersion} / actual {conflict.ActualVersion}; the model says {expected.FirstVersion} / {expected.ConflictActualVersion}");
        }
        else
        {
            bool matches = strict ? actual.GetType() == expected.Error : actual is RequestRejectedException or ArgumentException;
            Check(matches, $"{what}: {actual.GetType().Name} ({actual.Message}), expected {expected.Error!.Name}");
        }
    }

    protected void Check(bool condition, string message)
    {
        if (!condition)
        {
            Assert.Fail($"At {Position}: {message}.");
        }
    }

    protected async Task ExpectRejectionAsync(string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is RequestRejectedException or ArgumentException)
        {
            return;
        }

        Check(false, $"{what} must be rejected (RequestRejectedException or, for a programming error, ArgumentException)");
    }

    private static string Describe(ReadBound bound) =>
        bound.ToVersion is { } v ? $"AtVersion({v})" : bound.AsOf is { } t ? $"AtTime({t:O})" : "Latest";

    private long ResolveExpected(ExpectedVersionChoice choice, string streamId)
    {
        long current = EventLogModel.IsValidStreamId(streamId) ? Model.Info(streamId).Version : 0;
        return choice switch
        {
            ExpectedVersionChoice.Current => current,
            ExpectedVersionChoice.Any => ExpectedVersion.Any,
            ExpectedVersionChoice.NoStream => ExpectedVersion.NoStream,
            ExpectedVersionChoice.Stale => current > 0 ? current - 1 : current + 2,
            ExpectedVersionChoice.Ahead => current + 1,
            ExpectedVersionChoice.Invalid => -2,
            _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "unknown choice"),
        };
    }

    private async Task ApplyAsync(LogOperation operation)
    {
        switch (operation)
        {
            case AppendOperation op:
                await AppendAsync(op);
                break;
            case CheckpointOperation op:
                await CheckpointAsync(op);
                break;
            case DeleteOperation op:
                await DeleteAsync(op);
                break;
            case AdvanceClockOperation op:
                Clock.Advance(TimeSpan.FromSeconds(op.Seconds));
                break;
            case ReadAtVersionOperation op:
                await CompareReadAsync(Stream(op.Stream), ReadBound.AtVersion(op.Version));
                break;
            case ReadAtTimeOperation op:
                await CompareReadAsync(Stream(op.Stream), ReadBound.AtTime(ConformanceTimeProvider.DefaultStart + TimeSpan.FromSeconds(op.Seconds)));
                break;
            case ReadEventsOperation op:
                await ReadEventsAsync(op);
                break;
            case CrashOperation op:
                await CrashAsync(op);
                break;
            default:
                throw new InvalidOperationException($"Unknown operation {operation}.");
        }
    }

    private async Task AppendAsync(AppendOperation op)
    {
        string streamId = Stream(op.Stream);
        long expectedVersion = ResolveExpected(op.Expected, streamId);
        byte[][] payloads = Enumerable.Range(0, op.EventCount).Select(_ => NextPayload(op.PayloadSize)).ToArray();
        var expected = Model.Append(streamId, expectedVersion, payloads, Clock.GetUtcNow());
        string what = $"AppendAsync(\"{streamId}\", expected {expectedVersion}, {op.EventCount} x {op.PayloadSize} B)";
        try
        {
            var result = await Log.AppendAsync(streamId, expectedVersion, payloads.Select(p => (ReadOnlyMemory<byte>)p).ToArray());
            CheckStored(what, expected, result.FirstVersion, result.LastVersion, result.LastLsn);
        }
        catch (Exception ex) when (ex is RequestRejectedException or ArgumentException or StreamVersionConflictException)
        {
            CheckRejected(what, expected, ex);
        }
    }

    private async Task CheckpointAsync(CheckpointOperation op)
    {
        string streamId = Stream(op.Stream);
        long current = EventLogModel.IsValidStreamId(streamId) ? Model.Info(streamId).Version : 0;
        long version = current - op.VersionsBack;
        byte[] state = NextPayload(op.StateSize);
        var expected = Model.Checkpoint(streamId, version, state, Clock.GetUtcNow());
        string what = $"WriteCheckpointAsync(\"{streamId}\", version {version}, {op.StateSize} B)";
        try
        {
            var result = await Log.WriteCheckpointAsync(streamId, version, state);
            CheckStored(what, expected, result.Version, result.Version, result.Lsn);
        }
        catch (Exception ex) when (ex is RequestRejectedException or ArgumentException)
        {
            CheckRejected(what, expected, ex);
        }
    }

    private async Task DeleteAsync(DeleteOperation op)
    {
        string streamId = Stream(op.Stream);
        long expectedVersion = ResolveExpected(op.Expected, streamId);
        var expected = Model.Delete(streamId, expectedVersion, Clock.GetUtcNow());
        string what = $"DeleteStreamAsync(\"{streamId}\", expected {expectedVersion})";
        try
        {
            var result = await Log.DeleteStreamAsync(streamId, expectedVersion);
            CheckStored(what, expected, result.FirstVersion, result.LastVersion, result.LastLsn);
        }
        catch (Exception ex) when (ex is RequestRejectedException or ArgumentException or StreamVersionConflictException)
        {
            CheckRejected(what, expected, ex);
        }
    }

    private async Task ReadEventsAsync(ReadEventsOperation op)
    {
        string streamId = Stream(op.Stream);
        string what = $"ReadEventsAsync(\"{streamId}\", {op.FromVersion}, {op.ToVersion})";
        if (!EventLogModel.IsValidStreamId(streamId) || op.FromVersion < 1)
        {
            await ExpectRejectionAsync(what, async () => await Log.ReadEventsAsync(streamId, op.FromVersion, op.ToVersion));
            return;
        }

        var expected = Model.ReadEvents(streamId, op.FromVersion, op.ToVersion);
        try
        {
            var actual = await Log.ReadEventsAsync(streamId, op.FromVersion, op.ToVersion);
            if (!strict && actual.Count < expected.Count)
            {
                // A persistent log may leave out the events of a deleted incarnation of the stream.
                long deletedUpTo = Model.LastTombstoneVersion(streamId);
                expected = expected.Where(e => e.Version > deletedUpTo).ToList();
                Check(actual.Count == expected.Count, $"{what}: {actual.Count} events; only events at or below the deletion at version {deletedUpTo} may be left out");
            }

            CompareEvents(what, expected, actual);
            await CompareStreamedAsync(streamId, op.FromVersion);
        }
        catch (EventsReclaimedException ex)
        {
            long reclaimable = Model.ReclaimableUpTo(streamId);
            Check(!strict, $"{what}: {ex.Message}, but this log must never reclaim");
            Check(op.FromVersion <= reclaimable && ex.OldestAvailableVersion <= reclaimable + 1, $"{what}: {ex.Message}, but only versions up to {reclaimable} may be reclaimed");
        }
    }

    /// <summary>The streamed read from <paramref name="from"/> equals ReadEventsAsync from there to the end, or both report the same reclaimed range.</summary>
    private async Task CompareStreamedAsync(string streamId, long from)
    {
        string what = $"ReadStreamEventsAsync(\"{streamId}\", {from})";
        IReadOnlyList<StoredEvent>? listed = null;
        EventsReclaimedException? listedError = null;
        try
        {
            listed = await Log.ReadEventsAsync(streamId, from, long.MaxValue);
        }
        catch (EventsReclaimedException ex)
        {
            listedError = ex;
        }

        var streamed = await ReadStreamEventsAsync(streamId, from);
        if (listedError is not null || streamed.Error is not null)
        {
            Check(listedError is not null && streamed.Error is not null, $"{what}: {streamed.Error?.Message ?? "read"}; ReadEventsAsync to the end: {listedError?.Message ?? "read"}");
            Check(streamed.Error!.RequestedFromVersion == from, $"{what}: {streamed.Error.Message}");
            return;
        }

        CompareStored($"{what} against ReadEventsAsync to the end", listed!, streamed.Events!);
    }
}
