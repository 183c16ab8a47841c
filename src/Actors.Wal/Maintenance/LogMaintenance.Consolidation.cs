using Actors.Wal.Index;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Maintenance;

// Chain consolidation: a stream whose read chain grew long is copied forward as one record (methods only: the state is
// in LogMaintenance.cs; the copy is the one compaction makes, LogMaintenance.Space.cs).
internal sealed partial class LogMaintenance
{
    /// <summary>How long a stream whose copy lost the race with its own appends waits before it is looked at again.</summary>
    private static readonly TimeSpan ConsolidationRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a stream is looked at again after its copy lost the race, before it waits for its next request.</summary>
    private const int ConsolidationRetries = 20;

    /// <summary>How often a refused copy is extended by the events its stream gained meanwhile and offered again.</summary>
    private const int ConsolidationCatchUps = 8;

    /// <summary>
    /// Copies forward every stream waiting in <see cref="Consolidations"/> whose read chain is still at least
    /// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records long: its base and the events after it become one
    /// Relocated record, written by the writer unless the stream changed since it was read. A stream whose copy would be
    /// larger than <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/> stays where it is. Maintenance thread only.
    /// </summary>
    /// <remarks>
    /// A copy is refused when the stream was appended to while it was read (the copy would miss the new records). The
    /// copy is then extended by just the events gained meanwhile and offered again (<see cref="CompleteWithCatchUpAsync"/>).
    /// When that keeps losing, a busy stream asks again after <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/>
    /// more records, but the last request before it falls quiet would be lost, leaving exactly the long chain a later cold
    /// activation pays for: so a refused stream is also looked at again every <see cref="ConsolidationRetryDelay"/>, and
    /// copied once it stayed unchanged for that long (up to <see cref="ConsolidationRetries"/> times; looking costs one
    /// entry read, not a chain read).
    /// </remarks>
    private async Task ConsolidateChainsAsync()
    {
        long through = _consolidations.TakeAll(_consolidating);
        var retried = Interlocked.Exchange(ref _consolidationRetryDue, 0) != 0 ? TakeQuietRetries() : null;

        int consolidated = 0;
        int skipped = 0;
        var rentals = new List<byte[]>();
        var requests = new List<(RelocateRequest Request, HotStream Stream)>(RelocationChunk);
        try
        {
            for (int start = 0; start < _consolidating.Count && !_health.IsFailed && !_health.IsAbandoned; start += RelocationChunk)
            {
                requests.Clear();
                for (int i = start; i < Math.Min(_consolidating.Count, start + RelocationChunk); i++)
                {
                    var request = await TryPrepareConsolidationAsync(_consolidating[i].Read(), rentals).ConfigureAwait(false);
                    if (request is not null && _writer.TryEnqueue(request))
                    {
                        requests.Add((request, _consolidating[i]));
                    }
                    else
                    {
                        skipped++;
                    }
                }

                foreach (var (request, stream) in requests)
                {
                    if (await CompleteWithCatchUpAsync(request, stream, rentals).ConfigureAwait(false))
                    {
                        consolidated++;
                    }
                    else
                    {
                        skipped++; // the stream changed since it was read: looked at again once it is quiet
                        AddRetry(stream, retried is not null && retried.TryGetValue(stream, out int left) ? left : ConsolidationRetries);
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
        catch (Exception ex) when (ex is LogFailedException or ObjectDisposedException)
        {
            // The log failed or closes: nothing more is copied. The chunk's buffers are left to the collector (the writer
            // may still hold payloads pointing into them).
        }
        finally
        {
            _consolidating.Clear();
            _consolidations.MarkDone(through);
            if (_consolidationRetries.Count > 0)
            {
                _consolidationRetryTimer ??= _time.CreateTimer(static state => ((LogMaintenance)state!).OnConsolidationRetryDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _consolidationRetryTimer.Change(ConsolidationRetryDelay, Timeout.InfiniteTimeSpan);
            }
        }

        Interlocked.Add(ref _counters.ChainsConsolidated, consolidated);
        Interlocked.Add(ref _counters.ConsolidationsSkipped, skipped);
        if (consolidated > 0)
        {
            LogChainsConsolidated(consolidated, skipped);
        }
    }

    /// <summary>
    /// Awaits a copy; when the writer refused it because the stream gained events meanwhile, reads only those (from the
    /// copy's latest record to the stream's latest), appends them to the copy and offers it again, up to
    /// <see cref="ConsolidationCatchUps"/> times. False when the copy was not written.
    /// </summary>
    private async Task<bool> CompleteWithCatchUpAsync(RelocateRequest request, HotStream stream, List<byte[]> rentals)
    {
        long limit = Math.Min(_options.ConsolidationMaxBytes, _maxRecordLength);
        for (int attempt = 0; ; attempt++)
        {
            if (await request.Task.ConfigureAwait(false))
            {
                return true;
            }

            var entry = stream.Read();
            if (attempt == ConsolidationCatchUps || entry.LatestPosition == request.ExpectedLatest)
            {
                return false; // still busy, or the change is not published yet: the retries look again
            }

            List<Format.RecordItem>? gained;
            try
            {
                gained = await _reader.CollectEventsSinceAsync(entry, request.ExpectedLatest, _readBuffers, rentals, CancellationToken.None).ConfigureAwait(false);
            }
            catch (LogCorruptedException ex)
            {
                Interlocked.Increment(ref _counters.CorruptRecordsSkipped);
                LogCorruptRecordSkipped(ex.Message, ex);
                return false;
            }

            if (gained is null)
            {
                return false; // checkpointed, deleted or copied meanwhile: the copy is stale
            }

            var items = new List<Format.RecordItem>(request.Items.Count + gained.Count);
            items.AddRange(request.Items);
            items.AddRange(gained);
            long size = Format.RecordCodec.RelocatedSize(System.Text.Encoding.UTF8.GetByteCount(request.StreamId), items, Cipher);
            if (size > limit)
            {
                return false;
            }

            request = new RelocateRequest(request.StreamId, request.Hash, entry.LatestPosition, entry.Version, items, (int)size);
            if (!_writer.TryEnqueue(request))
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Remembers a stream whose copy lost the race, with its latest record now, unless it used up its attempts or
    /// 4,096 streams are remembered already (it then waits for its next request). Maintenance thread.
    /// </summary>
    private void AddRetry(HotStream stream, int attemptsLeft)
    {
        if (attemptsLeft > 0 && _consolidationRetries.Count < ConsolidationQueue.Capacity)
        {
            _consolidationRetries.TryAdd(stream, new ConsolidationRetry(stream.Read().LatestPosition, attemptsLeft - 1));
        }
    }

    /// <summary>
    /// Moves the remembered streams that did not change since they were last looked at into this round and returns them
    /// with their attempts left; the others stay remembered with their new latest record, one attempt fewer (maintenance
    /// thread).
    /// </summary>
    private Dictionary<HotStream, int> TakeQuietRetries()
    {
        var quiet = new Dictionary<HotStream, int>(ReferenceEqualityComparer.Instance);
        var retries = _consolidationRetries.ToArray();
        _consolidationRetries.Clear();
        foreach (var (stream, retry) in retries)
        {
            long latest = stream.Read().LatestPosition;
            if (latest == retry.SeenLatest)
            {
                quiet.Add(stream, retry.AttemptsLeft);
                _consolidating.Add(stream);
            }
            else if (retry.AttemptsLeft > 0)
            {
                _consolidationRetries.Add(stream, new ConsolidationRetry(latest, retry.AttemptsLeft - 1));
            }
        }

        return quiet;
    }

    /// <summary>The retry timer fired (a timer thread): the next loop turn looks at the remembered streams.</summary>
    private void OnConsolidationRetryDue()
    {
        Volatile.Write(ref _consolidationRetryDue, 1);
        _work.Release();
    }

    /// <summary>
    /// The copy of one stream, or null when it no longer qualifies: its chain was consolidated, checkpointed or deleted
    /// since it was queued, its live records alone exceed twice the limit (not read at all), or the copy exceeds
    /// <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/>.
    /// </summary>
    private async Task<RelocateRequest?> TryPrepareConsolidationAsync(StreamEntry entry, List<byte[]> rentals)
    {
        if (!entry.HasBase || entry.ChainRecords < _options.ConsolidateAfterRecords || LiveBytes(entry) > 2L * _options.ConsolidationMaxBytes)
        {
            return null;
        }

        return await TryPrepareRelocationAsync(entry, retention: null, rentals, Math.Min(_options.ConsolidationMaxBytes, _maxRecordLength)).ConfigureAwait(false);
    }

    /// <summary>The stream's live bytes (its framed records since its base): an upper bound of what a copy reads.</summary>
    private static long LiveBytes(in StreamEntry entry)
    {
        long bytes = entry.LatestRunBytes;
        if (entry.OlderRuns is { } older)
        {
            foreach (var run in older)
            {
                bytes += run.Bytes;
            }
        }

        return bytes;
    }

    [LoggerMessage(15, LogLevel.Debug, "Chain consolidation: {Consolidated} streams copied forward as one record each, {Skipped} skipped (changed meanwhile, too large or no longer long)")]
    private partial void LogChainsConsolidated(int consolidated, int skipped);
}

/// <summary>A stream whose consolidation lost the race with its appends: copied once its latest record stays <see cref="SeenLatest"/>.</summary>
/// <param name="SeenLatest">Its latest record when it was last looked at.</param>
/// <param name="AttemptsLeft">How many more times it is looked at.</param>
internal readonly record struct ConsolidationRetry(long SeenLatest, int AttemptsLeft);
