using System.Text;

namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// The behaviour every <see cref="IEventLog"/> must show, after Orleans' GrainStorageTestRunner and Akka's
/// JournalSpec. A concrete subclass per implementation supplies <see cref="CreateLogAsync"/>; xunit runs every
/// test here once per subclass. Split by concern into partial files (<c>EventLogConformanceTests.*.cs</c>).
/// </summary>
/// <remarks>
/// Semantics pinned here beyond the <see cref="IEventLog"/> XML docs (the engine must agree):
/// <list type="bullet">
/// <item>LSNs grow strictly with every stored record; the LSN of a batch is that of its last event.</item>
/// <item>Zero-length events and checkpoint states are valid.</item>
/// <item><c>ReadEventsAsync</c> clamps the range to the stream's version (<c>long.MaxValue</c> reads to the end);
/// <c>toVersion &lt; fromVersion</c> yields nothing; <c>fromVersion &lt; 1</c> is an <see cref="ArgumentOutOfRangeException"/>.</item>
/// <item><c>ReadBound.AtVersion(v)</c> beyond the stream's version reads the latest state.</item>
/// <item>A tombstone stored at version d is inside the bound <c>AtVersion(d)</c>: that read reports the stream deleted.</item>
/// <item>After a deletion at version d the stream's checkpoint version is 0 and a new checkpoint must cover a
/// version above d (so a deleted stream without later events cannot be checkpointed).</item>
/// <item>Deleting a stream that was never written stores a tombstone at version 0 (the stream then reads as deleted).</item>
/// <item>Record timestamps come from the log's TimeProvider; a clock that goes back never makes them decrease
/// (reads by timestamp assume that records are in time order).</item>
/// <item>Allowed either way: events at or below the latest checkpoint may be reported reclaimed
/// (<see cref="EventsReclaimedException"/>); events of a deleted incarnation may be reported reclaimed or left out of
/// a <c>ReadEventsAsync</c> result; an append whose token was already cancelled may still be stored, but whole.</item>
/// </list>
/// </remarks>
public abstract partial class EventLogConformanceTests : IAsyncLifetime
{
    /// <summary>The maximum record size every log under test is created with.</summary>
    protected const int MaxRecordSizeBytes = 8 * 1024;

    /// <summary>How long a test waits for concurrent work before it fails with a message.</summary>
    protected static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    private readonly List<IEventLog> _logs = [];

    /// <summary>The manual clock every log under test is created with.</summary>
    protected ConformanceTimeProvider Clock { get; } = new();

    /// <summary>
    /// False for a log that refuses <see cref="IEventLog.DeleteCheckpointsAsync"/> with write-time bounds
    /// (<see cref="NotSupportedException"/>, nothing deleted): the replicated log, whose replicas each stamp records with
    /// their own clock, so a time bound could select different checkpoints on different replicas.
    /// </summary>
    protected virtual bool SelectsCheckpointsByTime => true;

    /// <summary>
    /// False for a log without a change feed of its own: <see cref="ILogChangeFeed.ReadChangesAsync"/> throws
    /// <see cref="NotSupportedException"/> (the replicated log: read the feed of a replica's materialized log).
    /// </summary>
    protected virtual bool HasChangeFeed => true;

    /// <summary>
    /// Makes what was written so far visible to the change feed, which hands out durable changes only: nothing by default
    /// (a log whose acknowledged writes are durable); a flush for a log that never syncs by itself (<see cref="SyncPolicy.None"/>).
    /// </summary>
    protected virtual ValueTask SettleChangesAsync(IEventLog log) => ValueTask.CompletedTask;

    /// <summary>
    /// False for a log that refuses reads as of a write time (<see cref="ReadBound.AtTime"/>) with
    /// <see cref="NotSupportedException"/>: the replicated log, whose replicas each stamp records with their own clock.
    /// </summary>
    protected virtual bool ReadsByTime => true;

    /// <summary>
    /// Reads <paramref name="streamId"/> as of <paramref name="asOf"/> and checks the result with <paramref name="check"/>;
    /// for a log that does not read by time (<see cref="ReadsByTime"/>), checks instead that the read is refused.
    /// </summary>
    protected async Task AssertReadAtTimeAsync(IEventLog log, string streamId, DateTimeOffset asOf, Action<StreamReadResult> check)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(check);
        if (!ReadsByTime)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => log.ReadStreamAsync(streamId, ReadBound.AtTime(asOf)).AsTask());
            return;
        }

        check(await log.ReadStreamAsync(streamId, ReadBound.AtTime(asOf)));
    }

    /// <summary>Creates an empty log using <paramref name="timeProvider"/> and <paramref name="maxRecordSizeBytes"/>.</summary>
    protected abstract ValueTask<IEventLog> CreateLogAsync(TimeProvider timeProvider, int maxRecordSizeBytes);

    /// <summary>Runs after every log created by the test was disposed (delete temp directories here).</summary>
    protected virtual ValueTask CleanupAsync() => ValueTask.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }

        await CleanupAsync();
    }

    /// <summary>Creates a log for the current test; it is disposed when the test ends.</summary>
    protected async Task<IEventLog> NewLogAsync()
    {
        var log = await CreateLogAsync(Clock, MaxRecordSizeBytes);
        Track(log);
        return log;
    }

    /// <summary>Registers a log to be disposed when the test ends (disposing twice must be harmless).</summary>
    protected void Track(IEventLog log) => _logs.Add(log);

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    protected static IReadOnlyList<ReadOnlyMemory<byte>> Batch(params string[] payloads) =>
        payloads.Select(p => (ReadOnlyMemory<byte>)Bytes(p)).ToArray();

    /// <summary>A deterministic payload of <paramref name="size"/> bytes that starts with <paramref name="tag"/>.</summary>
    protected static byte[] Filled(string tag, int size)
    {
        byte[] tagBytes = Encoding.UTF8.GetBytes(tag);
        var bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = i < tagBytes.Length ? tagBytes[i] : (byte)(tagBytes[i % tagBytes.Length] ^ (i * 131));
        }

        return bytes;
    }

    /// <summary>Asserts that <paramref name="events"/> are versions firstVersion.. with these payloads, LSNs increasing.</summary>
    protected static void AssertEvents(IReadOnlyList<StoredEvent> events, long firstVersion, params string[] payloads)
    {
        Assert.Equal(payloads, events.Select(e => Text(e.Payload)).ToArray());
        for (int i = 0; i < events.Count; i++)
        {
            Assert.Equal(firstVersion + i, events[i].Version);
            if (i > 0)
            {
                Assert.True(events[i].Lsn > events[i - 1].Lsn, $"LSN of version {events[i].Version} ({events[i].Lsn}) must exceed that of version {events[i - 1].Version} ({events[i - 1].Lsn}).");
            }
        }
    }

    /// <summary>Asserts a read's checkpoint (version and state, or none), events, version and deletion flag.</summary>
    protected static void AssertRead(
        StreamReadResult read,
        long? checkpointVersion,
        string? checkpointState,
        long firstEventVersion,
        string[] payloads,
        long version,
        bool isDeleted = false)
    {
        Assert.Equal(version, read.Version);
        Assert.Equal(isDeleted, read.IsDeleted);
        if (checkpointVersion is null)
        {
            Assert.Null(read.Checkpoint);
        }
        else
        {
            Assert.NotNull(read.Checkpoint);
            Assert.Equal(checkpointVersion.Value, read.Checkpoint.Version);
            Assert.Equal(checkpointState, Text(read.Checkpoint.State));
        }

        AssertEvents(read.Events, firstEventVersion, payloads);
    }

    /// <summary>Appends <paramref name="count"/> single-event batches "p1".."pN" to a new stream.</summary>
    protected static async Task AppendNumberedAsync(IEventLog log, string streamId, int count, long startVersion = 0)
    {
        for (int i = 1; i <= count; i++)
        {
            long version = startVersion + i;
            await log.AppendAsync(streamId, version - 1, Batch($"p{version}"));
        }
    }

    protected static string[] Numbered(long from, long to) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(v => $"p{v}").ToArray();
}
