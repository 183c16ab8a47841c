using System.Buffers;
using Actors.Wal.Diagnostics;
using Actors.Wal.Index;
using Actors.Wal.Reading;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Maintenance;

/// <summary>
/// Chain consolidation: a stream whose read chain grew long is copied forward as one record (the copy compaction makes,
/// <see cref="IChainConsolidationHost.TryPrepareCopyAsync"/>, caught up with the events gained meanwhile:
/// ChainConsolidator.Copy.cs), so a cold read fetches its tail from a few contiguous pages.
/// </summary>
/// <remarks>
/// Ownership: the committer only asks (<see cref="Request"/>, through its <see cref="ConsolidationQueue"/>), the retry
/// timer only raises a flag; the maintenance thread alone runs <see cref="RunAsync"/> and holds the streams being
/// consolidated and the retries. <see cref="Requested"/>, <see cref="Done"/> and <see cref="Dropped"/> may be read on any
/// thread.
/// </remarks>
internal sealed partial class ChainConsolidator : IDisposable
{
    /// <summary>How long a stream whose copy lost the race with its own appends waits before it is looked at again.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a stream is looked at again after its copy lost the race, before it waits for its next request.</summary>
    private const int Retries = 20;

    /// <summary>How often a refused copy is extended by the events its stream gained meanwhile and offered again.</summary>
    private const int CatchUps = 8;

    /// <summary>Streams read and copied together before the round looks for other maintenance work.</summary>
    private const int Chunk = 32;

    private readonly IChainConsolidationHost _host;
    private readonly WriteAheadLogOptions _options;
    private readonly StreamIndex _index;
    private readonly LogReader _reader;
    private readonly LogWriter _writer;
    private readonly LogHealth _health;
    private readonly LogCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ArrayPool<byte> _readBuffers;
    private readonly long _maxRecordLength;
    private readonly ConsolidationQueue _queue = new();
    private readonly List<HotStream> _consolidating = [];
    private readonly Dictionary<HotStream, long> _retries = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<HotStream, int> _attempts = new(ReferenceEqualityComparer.Instance);
    private long _consolidatingThrough;
    private ITimer? _retryTimer;
    private bool _retryArmed;
    private int _retryDue;

    /// <summary>Creates the chain consolidation of a running log.</summary>
    /// <param name="host">The maintenance that runs it.</param>
    /// <param name="options">The log's options (<see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/>, <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/>).</param>
    /// <param name="index">The index: a stream is consolidated only while its entry is the published one.</param>
    /// <param name="reader">The reader, for the events a stream gained while its copy was made.</param>
    /// <param name="writer">The writer, which writes a copy unless its stream changed.</param>
    /// <param name="health">The log's health: an I/O error fails the log.</param>
    /// <param name="counters">The log's counters (<c>ChainsConsolidated</c>, <c>ConsolidationsSkipped</c>).</param>
    /// <param name="time">The time provider of the retry timer.</param>
    /// <param name="logger">The log's logger.</param>
    /// <param name="readBuffers">The maintenance's read buffers, shared with compaction (the maintenance thread uses them).</param>
    /// <param name="maxRecordLength">The longest record a segment holds: no copy is larger.</param>
    public ChainConsolidator(
        IChainConsolidationHost host,
        WriteAheadLogOptions options,
        StreamIndex index,
        LogReader reader,
        LogWriter writer,
        LogHealth health,
        LogCounters counters,
        TimeProvider time,
        ILogger logger,
        ArrayPool<byte> readBuffers,
        long maxRecordLength)
    {
        _host = host;
        _options = options;
        _index = index;
        _reader = reader;
        _writer = writer;
        _health = health;
        _counters = counters;
        _time = time;
        _logger = logger;
        _readBuffers = readBuffers;
        _maxRecordLength = maxRecordLength;
    }

    /// <summary>Streams ever accepted by <see cref="Request"/> (a waiter compares <see cref="Done"/> with the value it saw). Any thread.</summary>
    public long Requested => _queue.Added;

    /// <summary>Of <see cref="Requested"/>, how many <see cref="RunAsync"/> has handled (consolidated or skipped). Any thread.</summary>
    public long Done => _queue.Done;

    /// <summary>Requests refused because <see cref="ConsolidationQueue.Capacity"/> streams were waiting. Any thread.</summary>
    public long Dropped => _queue.Dropped;

    /// <summary>
    /// True when streams wait, a round is unfinished or the retry timer fired: the maintenance loop then calls
    /// <see cref="RunAsync"/>. Maintenance thread only.
    /// </summary>
    public bool HasWork => !_queue.IsEmpty || _consolidating.Count > 0 || Volatile.Read(ref _retryDue) != 0;

    /// <summary>
    /// Asks for the chain consolidation of <paramref name="stream"/> and wakes the maintenance thread (the committer, when
    /// its read chain grew by <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records). Never blocks; a full
    /// queue drops the request.
    /// </summary>
    public void Request(HotStream stream)
    {
        if (_queue.TryAdd(stream))
        {
            _host.Wake();
        }
    }

    /// <summary>
    /// Copies forward the streams requested (and the remembered ones that stayed quiet) whose read chain is still at least
    /// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records long: its base and the events after it become
    /// one Relocated record, written by the writer unless the stream changed since it was read. A stream whose copy would
    /// be larger than <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/> stays where it is. Maintenance thread only.
    /// </summary>
    /// <remarks>
    /// <para>A copy is refused when the stream was appended to while it was read (the copy would miss the new records).
    /// The copy is then extended by just the events gained meanwhile and offered again
    /// (<see cref="CompleteWithCatchUpAsync"/>). When that keeps losing, a busy stream asks again after
    /// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> more records, but the last request before it falls quiet
    /// would be lost, leaving exactly the long chain a later cold activation pays for: so a refused stream is also looked
    /// at every <see cref="RetryDelay"/> (an entry read) and read and copied again once it stayed unchanged for that long
    /// (up to <see cref="Retries"/> times).</para>
    /// <para>Streams are taken in chunks of <see cref="Chunk"/>; after each chunk the round yields to a snapshot, space
    /// pass or compaction requested meanwhile (and stops when maintenance stops:
    /// <see cref="IChainConsolidationHost.OtherWorkWaits"/>), and the next loop turn goes on with the rest. An I/O error
    /// fails the log, as in a space pass; a stream whose record cannot be read or resolved (damaged, or a key the provider
    /// lacks) is skipped.</para>
    /// </remarks>
    public async Task RunAsync()
    {
        _consolidatingThrough = Math.Max(_consolidatingThrough, _queue.TakeAll(_consolidating));
        if (Interlocked.Exchange(ref _retryDue, 0) != 0)
        {
            _retryArmed = false;
            TakeQuietRetries();
        }

        int consolidated = 0;
        int skipped = 0;
        var rentals = new List<byte[]>();
        var requests = new List<(RelocateRequest Request, HotStream Stream)>(Chunk);
        var seen = new HashSet<HotStream>(ReferenceEqualityComparer.Instance);
        try
        {
            while (_consolidating.Count > 0 && !_health.IsFailed && !_health.IsAbandoned && !_host.OtherWorkWaits())
            {
                requests.Clear();
                int take = Math.Min(_consolidating.Count, Chunk);
                for (int i = 0; i < take; i++)
                {
                    var stream = _consolidating[i];
                    bool first = seen.Add(stream);
                    var request = first && IsCurrent(stream)
                        ? await TryPrepareAsync(stream.Read(), rentals).ConfigureAwait(false)
                        : null;
                    if (request is not null && _writer.TryEnqueue(request))
                    {
                        requests.Add((request, stream));
                    }
                    else
                    {
                        skipped++;
                        if (first)
                        {
                            _attempts.Remove(stream); // no longer qualifies (or demoted): nothing to retry
                        }
                    }
                }

                _consolidating.RemoveRange(0, take);
                foreach (var (request, stream) in requests)
                {
                    bool? written = await CompleteWithCatchUpAsync(request, stream, rentals).ConfigureAwait(false);
                    if (written == true)
                    {
                        consolidated++;
                        _attempts.Remove(stream);
                    }
                    else if (written == false)
                    {
                        skipped++; // the stream changed since it was read: looked at again once it is quiet
                        AddRetry(stream);
                    }
                    else
                    {
                        skipped++; // damaged or unreadable: left where it is
                        _attempts.Remove(stream);
                    }
                }

                // Every copy of the chunk completed: the writer is done with the payloads in these buffers.
                foreach (byte[] buffer in rentals)
                {
                    _readBuffers.Return(buffer);
                }

                rentals.Clear();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // As in a space pass: the disk refused a read, so the log stops taking writes (typed errors to callers).
            _health.EnterFailed("chain consolidation", ex);
            _consolidating.Clear();
        }
        catch (Exception ex) when (ex is LogFailedException or ObjectDisposedException)
        {
            // The log failed or closes: nothing more is copied. The chunk's buffers are left to the collector (the writer
            // may still hold payloads pointing into them).
            _consolidating.Clear();
        }
        finally
        {
            if (_consolidating.Count == 0 || _health.IsFailed || _health.IsAbandoned)
            {
                _consolidating.Clear();
                _queue.MarkDone(_consolidatingThrough);
            }

            if (_retries.Count > 0 && !_retryArmed)
            {
                _retryArmed = true;
                _retryTimer ??= _time.CreateTimer(static state => ((ChainConsolidator)state!).OnRetryDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _retryTimer.Change(RetryDelay, Timeout.InfiniteTimeSpan);
            }
        }

        Interlocked.Add(ref _counters.ChainsConsolidated, consolidated);
        Interlocked.Add(ref _counters.ConsolidationsSkipped, skipped);
        if (consolidated > 0)
        {
            LogChainsConsolidated(consolidated, skipped);
        }
    }

    /// <summary>Stops the retry timer (after the maintenance loop ended).</summary>
    public void Dispose() => _retryTimer?.Dispose();

    /// <summary>
    /// True when <paramref name="stream"/> is still the index's published entry of its stream: after a demotion the
    /// object is never published again (it would look unchanged forever), and the stream's next request brings the new one.
    /// </summary>
    private bool IsCurrent(HotStream stream)
        => _index.Current.Hot.TryGetValue(stream.Id, out var current) && ReferenceEquals(current, stream);

    /// <summary>
    /// Remembers a stream whose copy lost the race, with its latest record now, unless it used up its attempts or
    /// 4,096 streams are remembered already (it then waits for its next request). Maintenance thread.
    /// </summary>
    private void AddRetry(HotStream stream)
    {
        int attemptsLeft = _attempts.GetValueOrDefault(stream, Retries);
        if (attemptsLeft > 0 && _retries.Count < ConsolidationQueue.Capacity)
        {
            _retries[stream] = stream.Read().LatestPosition;
            _attempts[stream] = attemptsLeft - 1;
        }
        else
        {
            _attempts.Remove(stream);
        }
    }

    /// <summary>
    /// Moves the remembered streams that did not change since they were last looked at into this round (a refused copy
    /// remembers them again with one attempt fewer); the others stay remembered with their new latest record, one attempt
    /// fewer, or are forgotten once their attempts are used up or their entry was demoted. Maintenance thread.
    /// </summary>
    private void TakeQuietRetries()
    {
        foreach (var (stream, seenLatest) in _retries.ToArray())
        {
            long latest = stream.Read().LatestPosition;
            int attemptsLeft = _attempts.GetValueOrDefault(stream);
            if (latest == seenLatest && IsCurrent(stream))
            {
                _retries.Remove(stream);
                _consolidating.Add(stream);
            }
            else if (attemptsLeft > 0 && IsCurrent(stream))
            {
                _retries[stream] = latest;
                _attempts[stream] = attemptsLeft - 1;
            }
            else
            {
                _retries.Remove(stream);
                _attempts.Remove(stream);
            }
        }
    }

    /// <summary>The retry timer fired (a timer thread): the next loop turn looks at the remembered streams.</summary>
    private void OnRetryDue()
    {
        Volatile.Write(ref _retryDue, 1);
        _host.Wake();
    }

    [LoggerMessage(15, LogLevel.Debug, "Chain consolidation: {Consolidated} streams copied forward as one record each, {Skipped} skipped (changed meanwhile, too large or no longer long)")]
    private partial void LogChainsConsolidated(int consolidated, int skipped);
}
