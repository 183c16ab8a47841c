using System.Runtime.CompilerServices;
using Actors.Benchmarks.Infrastructure;
using Actors.Wal;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// The Actors log: each writer appends one-event batches to its own stream (<c>s/{writer}</c>) with the expected
/// version checked, continuing after whatever the stream already holds (an aged log), and with
/// <c>checkpointEvery</c> &gt; 0 writes checkpoints as the Orleans journal provider does (<c>CheckpointSchedule</c> in
/// Actors.Orleans): once every that many versions of each stream, staggered by the stream's phase (<see cref="PhaseOf"/>),
/// handed to the log right after the append that made it due and not awaited by it (a grain's confirm does not wait for
/// its checkpoint); a writer awaits its previous checkpoint before it hands over the next one, and every checkpoint's
/// outcome is observed. Counters come from <see cref="IEventLog.GetStatistics"/>. Appends pass no cancellation token
/// unless <c>cancellableAppends</c> (as the grain providers call the log, and as the bare loop, which ignores tokens, is
/// measured); with it, the log registers the run's token per append. With <c>idleStreams</c> &gt; 0, that many other
/// streams get one event each before the window (<see cref="AddIdleStreamsAsync"/>).
/// </summary>
internal sealed class WalTarget : ILogAppendTarget
{
    private readonly Func<CancellationToken, ValueTask<IEventLog>> _open;
    private readonly string _name;
    private readonly int _checkpointEvery;
    private readonly byte[] _checkpointState = new byte[256];
    private readonly bool _cancellableAppends;
    private readonly int _idleStreams;
    private IEventLog? _log;
    private string[] _streams = [];
    private long[] _baseVersions = [];
    private ReadOnlyMemory<byte>[][] _batches = [];
    private long[] _phases = [];
    private ValueTask<CheckpointResult>[] _checkpointsInFlight = [];

    public WalTarget(string name, Func<CancellationToken, ValueTask<IEventLog>> open, int checkpointEvery = 0, bool cancellableAppends = false, int idleStreams = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(idleStreams);
        _idleStreams = idleStreams;
        _cancellableAppends = cancellableAppends;
        _name = name;
        _open = open;
        ArgumentOutOfRangeException.ThrowIfNegative(checkpointEvery);
        _checkpointEvery = checkpointEvery;
    }

    public string Name => _name;

    public bool IsBlocking => false;

    /// <summary>The end of the engine's latest commit fsync (<see cref="FsyncTimes.LastEngineFsyncCompleted"/>): a lower bound for the gap.</summary>
    public long CompletedAt(int writer) => FsyncTimes.LastEngineFsyncCompleted;

    public async ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        _log = await _open(cancellationToken);
        await AddIdleStreamsAsync(_log, _idleStreams, cancellationToken);
        _streams = new string[writers];
        _batches = new ReadOnlyMemory<byte>[writers][];
        _baseVersions = new long[writers];
        _phases = new long[writers];
        _checkpointsInFlight = new ValueTask<CheckpointResult>[writers];
        for (int w = 0; w < writers; w++)
        {
            _streams[w] = $"s/{w}";
            _batches[w] = new ReadOnlyMemory<byte>[1];
            _baseVersions[w] = _log.GetStreamInfo(_streams[w]).Version;
            _phases[w] = PhaseOf(_streams[w]);
        }
    }

    /// <summary>
    /// Gives <paramref name="count"/> streams (<c>idle/{i}</c>) one 100 B event each, 256 appends at a time, and returns once
    /// all are durable: streams the writers never touch, which the index and every recovery snapshot hold beside theirs.
    /// </summary>
    private static async Task AddIdleStreamsAsync(IEventLog log, int count, CancellationToken cancellationToken)
    {
        const int Concurrency = 256;
        ReadOnlyMemory<byte>[] batch = [new byte[100]];
        var fillers = new Task[Math.Min(Concurrency, count)];
        for (int f = 0; f < fillers.Length; f++)
        {
            int first = f;
            fillers[f] = Task.Run(async () =>
            {
                for (int i = first; i < count; i += Concurrency)
                {
                    await log.AppendAsync($"idle/{i}", ExpectedVersion.Any, batch, cancellationToken);
                }
            }, cancellationToken);
        }

        await Task.WhenAll(fillers);
    }

    /// <summary>
    /// Appends through the log and returns its task as it is when no checkpoint is due (so the figure holds no async layer
    /// of the harness's: the bare loop's target has none either); when one is due, a pooled state machine awaits the
    /// append, then hands the checkpoint over.
    /// </summary>
    public ValueTask<AppendResult> AppendToLogAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        // One array per writer: a writer has one append in flight, and the log copies the payload before completing. It is
        // written only when the payload changes (the driver passes each writer the same buffer): the arrays of neighbouring
        // writers share cache lines, and a write per append would move those lines between the cores.
        ReadOnlyMemory<byte>[] batch = _batches[writer];
        if (!batch[0].Equals(payload))
        {
            batch[0] = payload;
        }

        long expected = _baseVersions[writer] + version - 1;
        CancellationToken token = _cancellableAppends ? cancellationToken : CancellationToken.None;
        ValueTask<AppendResult> append = _log!.AppendAsync(_streams[writer], expected, batch, token);
        return IsCheckpointDue(writer, expected + 1) ? AppendThenCheckpointAsync(append, writer, expected + 1, token) : append;
    }

    /// <summary>The same append through a pooled state machine (for callers that need a non-generic task; the driver does not).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        await AppendToLogAsync(writer, version, payload, cancellationToken);

    /// <summary>
    /// The journal provider's events rule (<c>CheckpointSchedule.IsDue</c>) with the stream's phase computed once:
    /// a checkpoint follows every due version, so of the versions since the last one only the new one can be due. No
    /// per-writer count is kept (the counts of neighbouring writers would share cache lines).
    /// </summary>
    private bool IsCheckpointDue(int writer, long version) =>
        _checkpointEvery > 0 && (version + _phases[writer]) % _checkpointEvery == 0;

    /// <summary>
    /// The stream's checkpoint phase as the Orleans journal provider computes it (<c>CheckpointSchedule.StableHash</c>:
    /// FNV-1a over the UTF-16 code units, then a 64-bit finalizer), modulo the interval; 0 without checkpoints.
    /// </summary>
    private long PhaseOf(string stream)
    {
        if (_checkpointEvery == 0)
        {
            return 0;
        }

        ulong hash = 14695981039346656037UL;
        foreach (char c in stream)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return (long)(hash % (ulong)_checkpointEvery);
    }

    // Pooled state machines (one append in every checkpointEvery): the harness must not add an allocation per append.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AppendResult> AppendThenCheckpointAsync(ValueTask<AppendResult> append, int writer, long version, CancellationToken token)
    {
        AppendResult result = await append;
        await _checkpointsInFlight[writer];
        _checkpointsInFlight[writer] = _log!.WriteCheckpointAsync(_streams[writer], version, _checkpointState, token);
        return result;
    }

    /// <inheritdoc />
    public long Phase()
    {
        if (_log is not WriteAheadLog wal)
        {
            return 0;
        }

        var (activity, rotations) = wal.SegmentActivity;
        return (rotations << 8) | (uint)activity;
    }

    public long[]? MaintenanceCounters()
    {
        if (_log is null)
        {
            return null;
        }

        LogStatistics stats = _log.GetStatistics();
        long rotations = Phase() >> 8;
        return [stats.Commits, rotations, stats.SegmentsCompacted, stats.StreamsRelocated, stats.SegmentsDeleted, stats.SnapshotsWritten + stats.SnapshotDeltasWritten];
    }

    public ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken)
    {
        if (_log is null)
        {
            return ValueTask.FromResult<SyncCounters?>(null);
        }

        LogStatistics stats = _log.GetStatistics();
        return ValueTask.FromResult<SyncCounters?>(new SyncCounters(stats.AppendedRecords, stats.Commits, stats.Fsyncs));
    }

    public async ValueTask DisposeAsync()
    {
        if (_log is not null)
        {
            foreach (ValueTask<CheckpointResult> checkpoint in _checkpointsInFlight)
            {
                await checkpoint;
            }

            if (Environment.GetEnvironmentVariable("ACTORS_WAL_PRINT_SPARES") == "1")
            {
                // Whether the spares were ready when the writer rotated (issue 37, item 2), on stderr so tables stay parseable.
                LogStatistics stats = _log.GetStatistics();
                Console.Error.WriteLine($"spares: segments {stats.SegmentCount}, writer waited for a spare {stats.SpareWaits} times, zero-fillings cut {stats.ZeroFillsCut}; " +
                    $"segments deleted {stats.SegmentsDeleted}, compacted {stats.SegmentsCompacted} ({stats.StreamsRelocated} streams copied, {stats.IdleCopySearches} idle ones searched); chains consolidated {stats.ChainsConsolidated}; " +
                    $"index demotions {stats.IndexDemotions}, hot streams at the end {stats.HotStreamCount}; " +
                    $"snapshots {stats.SnapshotsWritten} whole, {stats.SnapshotDeltasWritten} deltas, {stats.SnapshotBytesWritten} bytes; " +
                    $"{stats.Commits} commits, {stats.Fsyncs} fsyncs, {stats.AppendedBytes} bytes appended");
            }

            await _log.DisposeAsync();
        }
    }
}
