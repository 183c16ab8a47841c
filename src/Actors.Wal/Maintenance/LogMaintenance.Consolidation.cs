using Actors.Wal.Index;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Maintenance;

// Chain consolidation: a stream whose read chain grew long is copied forward as one record (methods only: the state is
// in LogMaintenance.cs; the copy is the one compaction makes, LogMaintenance.Space.cs).
internal sealed partial class LogMaintenance
{
    /// <summary>The streams waiting for chain consolidation (counts for statistics and tests).</summary>
    public ConsolidationQueue Consolidations => _consolidations;

    /// <summary>
    /// Asks for the chain consolidation of <paramref name="stream"/> (the committer, when its read chain grew by
    /// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records). Never blocks; a full queue drops the request.
    /// </summary>
    public void RequestConsolidation(Index.HotStream stream)
    {
        if (_consolidations.TryAdd(stream))
        {
            _work.Release();
        }
    }

    /// <summary>
    /// Copies forward the streams waiting in <see cref="Consolidations"/> (and the remembered ones that stayed quiet) whose
    /// read chain is still at least <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records long: its base and
    /// the events after it become one Relocated record, written by the writer unless the stream changed since it was read.
    /// A stream whose copy would be larger than <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/> stays where it
    /// is. Maintenance thread only.
    /// </summary>
    /// <remarks>
    /// <para>A copy is refused when the stream was appended to while it was read (the copy would miss the new records).
    /// The copy is then extended by just the events gained meanwhile and offered again
    /// (<see cref="CompleteWithCatchUpAsync"/>). When that keeps losing, a busy stream asks again after
    /// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> more records, but the last request before it falls quiet
    /// would be lost, leaving exactly the long chain a later cold activation pays for: so a refused stream is also looked
    /// at every <see cref="ConsolidationRetryDelay"/> (an entry read) and read and copied again once it stayed unchanged
    /// for that long (up to <see cref="ConsolidationRetries"/> times).</para>
    /// <para>Streams are taken in chunks of <see cref="ConsolidationChunk"/>; after each chunk the round yields to a
    /// snapshot, space pass or compaction requested meanwhile (and stops when maintenance stops), and the next loop turn
    /// goes on with the rest. An I/O error fails the log, as in a space pass; a stream whose record cannot be read or
    /// resolved (damaged, or a key the provider lacks) is skipped.</para>
    /// </remarks>
    private async Task ConsolidateChainsAsync()
    {
        _consolidatingThrough = Math.Max(_consolidatingThrough, _consolidations.TakeAll(_consolidating));
        if (Interlocked.Exchange(ref _consolidationRetryDue, 0) != 0)
        {
            _consolidationRetryArmed = false;
            TakeQuietRetries();
        }

        int consolidated = 0;
        int skipped = 0;
        var rentals = new List<byte[]>();
        var requests = new List<(RelocateRequest Request, HotStream Stream)>(ConsolidationChunk);
        var seen = new HashSet<HotStream>(ReferenceEqualityComparer.Instance);
        try
        {
            while (_consolidating.Count > 0 && !_health.IsFailed && !_health.IsAbandoned && !OtherWorkWaits())
            {
                requests.Clear();
                int take = Math.Min(_consolidating.Count, ConsolidationChunk);
                for (int i = 0; i < take; i++)
                {
                    var stream = _consolidating[i];
                    bool first = seen.Add(stream);
                    var request = first && IsCurrent(stream)
                        ? await TryPrepareConsolidationAsync(stream.Read(), rentals).ConfigureAwait(false)
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
                            _consolidationAttempts.Remove(stream); // no longer qualifies (or demoted): nothing to retry
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
                        _consolidationAttempts.Remove(stream);
                    }
                    else if (written == false)
                    {
                        skipped++; // the stream changed since it was read: looked at again once it is quiet
                        AddRetry(stream);
                    }
                    else
                    {
                        skipped++; // damaged or unreadable: left where it is
                        _consolidationAttempts.Remove(stream);
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
                _consolidations.MarkDone(_consolidatingThrough);
            }

            if (_consolidationRetries.Count > 0 && !_consolidationRetryArmed)
            {
                _consolidationRetryArmed = true;
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

    /// <summary>True when a snapshot, space pass or compaction waits, or maintenance stops: consolidation yields to them.</summary>
    private bool OtherWorkWaits()
    {
        lock (_compactions)
        {
            return _stopping || _passRequested || _compactions.Count > 0;
        }
    }

    /// <summary>
    /// True when <paramref name="stream"/> is still the index's published entry of its stream: after a demotion the
    /// object is never published again (it would look unchanged forever), and the stream's next request brings the new one.
    /// </summary>
    private bool IsCurrent(HotStream stream)
        => _index.Current.Hot.TryGetValue(stream.Id, out var current) && ReferenceEquals(current, stream);

    /// <summary>
    /// Awaits a copy; when the writer refused it because the stream gained events meanwhile, reads only those (from the
    /// copy's latest record to the stream's latest), appends them to the copy and offers it again, up to
    /// <see cref="ConsolidationCatchUps"/> times. True when a copy was written; false when the stream kept changing (or
    /// its change is not published yet, or the copy grew stale); null when it grew beyond the limit, or a record could not be
    /// read or resolved (counted and logged as skipped damage).
    /// </summary>
    private async Task<bool?> CompleteWithCatchUpAsync(RelocateRequest request, HotStream stream, List<byte[]> rentals)
    {
        long limit = Math.Min(_options.ConsolidationMaxBytes, _maxRecordLength);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (await request.Task.ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (WalException ex) when (ex is not LogFailedException)
            {
                // The writer could not resolve the stream (a damaged record, a key the provider lacks): it stays as it is.
                Interlocked.Increment(ref _counters.CorruptRecordsSkipped);
                LogCorruptRecordSkipped(ex.Message, ex);
                return null;
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
            catch (WalException ex) when (ex is not LogFailedException)
            {
                Interlocked.Increment(ref _counters.CorruptRecordsSkipped);
                LogCorruptRecordSkipped(ex.Message, ex);
                return null;
            }

            if (gained is null)
            {
                return false; // checkpointed, deleted or copied meanwhile: the copy is stale
            }

            if (!FollowsOn(request.Items, gained))
            {
                return null; // never expected: the walk found versions that do not continue the copy's
            }

            var items = new List<Format.RecordItem>(request.Items.Count + gained.Count);
            items.AddRange(request.Items);
            items.AddRange(gained);
            long size = Format.RecordCodec.RelocatedSize(System.Text.Encoding.UTF8.GetByteCount(request.StreamId), items, Cipher);
            if (size > limit)
            {
                return null; // grew beyond ConsolidationMaxBytes: it waits for its next checkpoint
            }

            request = new RelocateRequest(request.StreamId, request.Hash, entry.LatestPosition, entry.Version, items, (int)size);
            if (!_writer.TryEnqueue(request))
            {
                return false;
            }
        }
    }

    /// <summary>
    /// True when <paramref name="gained"/> continues <paramref name="copied"/>: every event's version one above the one
    /// before it, starting right after the newest version the copy holds.
    /// </summary>
    private static bool FollowsOn(List<Format.RecordItem> copied, List<Format.RecordItem> gained)
    {
        long version = 0;
        foreach (var item in copied)
        {
            version = Math.Max(version, item.Version);
        }

        foreach (var item in gained)
        {
            if (item.Kind != Format.RecordType.Events || item.Version != version + 1)
            {
                return false;
            }

            version = item.Version;
        }

        return true;
    }

    /// <summary>
    /// Remembers a stream whose copy lost the race, with its latest record now, unless it used up its attempts or
    /// 4,096 streams are remembered already (it then waits for its next request). Maintenance thread.
    /// </summary>
    private void AddRetry(HotStream stream)
    {
        int attemptsLeft = _consolidationAttempts.GetValueOrDefault(stream, ConsolidationRetries);
        if (attemptsLeft > 0 && _consolidationRetries.Count < ConsolidationQueue.Capacity)
        {
            _consolidationRetries[stream] = stream.Read().LatestPosition;
            _consolidationAttempts[stream] = attemptsLeft - 1;
        }
        else
        {
            _consolidationAttempts.Remove(stream);
        }
    }

    /// <summary>
    /// Moves the remembered streams that did not change since they were last looked at into this round (a refused copy
    /// remembers them again with one attempt fewer); the others stay remembered with their new latest record, one attempt
    /// fewer, or are forgotten once their attempts are used up or their entry was demoted. Maintenance thread.
    /// </summary>
    private void TakeQuietRetries()
    {
        foreach (var (stream, seenLatest) in _consolidationRetries.ToArray())
        {
            long latest = stream.Read().LatestPosition;
            int attemptsLeft = _consolidationAttempts.GetValueOrDefault(stream);
            if (latest == seenLatest && IsCurrent(stream))
            {
                _consolidationRetries.Remove(stream);
                _consolidating.Add(stream);
            }
            else if (attemptsLeft > 0 && IsCurrent(stream))
            {
                _consolidationRetries[stream] = latest;
                _consolidationAttempts[stream] = attemptsLeft - 1;
            }
            else
            {
                _consolidationRetries.Remove(stream);
                _consolidationAttempts.Remove(stream);
            }
        }
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
        if (!entry.HasBase || entry.ChainRecords < _options.ConsolidateAfterRecords || entry.LiveBytes > 2L * _options.ConsolidationMaxBytes)
        {
            return null;
        }

        return await TryPrepareRelocationAsync(entry, retention: null, rentals, Math.Min(_options.ConsolidationMaxBytes, _maxRecordLength)).ConfigureAwait(false);
    }

    [LoggerMessage(15, LogLevel.Debug, "Chain consolidation: {Consolidated} streams copied forward as one record each, {Skipped} skipped (changed meanwhile, too large or no longer long)")]
    private partial void LogChainsConsolidated(int consolidated, int skipped);
}
