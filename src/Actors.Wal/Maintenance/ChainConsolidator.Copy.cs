using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal.Maintenance;

// Chain consolidation's copy of one stream (methods only: the state is in ChainConsolidator.cs): prepared as compaction
// prepares it, and caught up with the events its stream gained while it was read.
internal sealed partial class ChainConsolidator
{
    /// <summary>The largest copy made: <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/>, at most a segment's longest record.</summary>
    private long CopyLimit => Math.Min(_options.ConsolidationMaxBytes, _maxRecordLength);

    /// <summary>
    /// The copy of one stream, or null when it no longer qualifies: its chain was consolidated, checkpointed or deleted
    /// since it was queued, its live records alone exceed twice the limit (not read at all), or the copy exceeds
    /// <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/>.
    /// </summary>
    private async Task<RelocateRequest?> TryPrepareAsync(StreamEntry entry, List<byte[]> rentals)
    {
        if (!entry.HasBase || entry.ChainRecords < _options.ConsolidateAfterRecords || entry.LiveBytes > 2L * _options.ConsolidationMaxBytes)
        {
            return null;
        }

        return await _host.TryPrepareCopyAsync(entry, rentals, CopyLimit).ConfigureAwait(false);
    }

    /// <summary>
    /// Awaits a copy; when the writer refused it because the stream gained events meanwhile, reads only those (from the
    /// copy's latest record to the stream's latest), appends them to the copy and offers it again, up to
    /// <see cref="CatchUps"/> times. True when a copy was written; false when the stream kept changing (or its change is
    /// not published yet, or the copy grew stale); null when it grew beyond the limit, or a record could not be read or
    /// resolved (counted and logged as skipped damage).
    /// </summary>
    private async Task<bool?> CompleteWithCatchUpAsync(RelocateRequest request, HotStream stream, List<byte[]> rentals)
    {
        long limit = CopyLimit;
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
                _host.ReportCorruptRecordSkipped(ex);
                return null;
            }

            var entry = stream.Read();
            if (attempt == CatchUps || entry.LatestPosition == request.ExpectedLatest)
            {
                return false; // still busy, or the change is not published yet: the retries look again
            }

            List<RecordItem>? gained;
            try
            {
                gained = await _reader.CollectEventsSinceAsync(entry, request.ExpectedLatest, _readBuffers, rentals, CancellationToken.None).ConfigureAwait(false);
            }
            catch (WalException ex) when (ex is not LogFailedException)
            {
                _host.ReportCorruptRecordSkipped(ex);
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

            var items = new List<RecordItem>(request.Items.Count + gained.Count);
            items.AddRange(request.Items);
            items.AddRange(gained);
            long size = RecordCodec.RelocatedSize(System.Text.Encoding.UTF8.GetByteCount(request.StreamId), items, _host.Cipher);
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
    private static bool FollowsOn(List<RecordItem> copied, List<RecordItem> gained)
    {
        long version = 0;
        foreach (var item in copied)
        {
            version = Math.Max(version, item.Version);
        }

        foreach (var item in gained)
        {
            if (item.Kind != RecordType.Events || item.Version != version + 1)
            {
                return false;
            }

            version = item.Version;
        }

        return true;
    }
}
