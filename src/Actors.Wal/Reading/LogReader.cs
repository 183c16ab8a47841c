using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

/// <summary>
/// The read path: finds a stream in the index (no lock) and walks its back-pointer chain from the latest record with
/// asynchronous reads, never touching other streams' records.
/// </summary>
/// <remarks>
/// Ownership: stateless apart from what it reads; any thread. An idle index entry has no id string, so the walk checks
/// the id stored in the stream's latest record (a 64-bit hash collision moves on to the next candidate); a stream read
/// while compaction moves it retries with the index's new entry.
/// </remarks>
internal sealed partial class LogReader(string directory, long maxRecordLength, StreamIndex index, SegmentManager segments, Func<bool> isClosed)
{
    /// <summary>Opens encrypted payloads (null: the log is not encrypted; an encrypted record then fails its read).</summary>
    public Encryption.PayloadCipher? Cipher { get; init; }

    private const int ReadAttempts = 3;

    /// <summary>The default of <see cref="MaxPlannedRecords"/>: at most 1.5 MiB of positions per read.</summary>
    public const int DefaultMaxPlannedRecords = 65_536;

    /// <summary>
    /// The most records one plan of a forward read keeps (it keeps the oldest of the range, between this and twice this
    /// many); a longer range is planned again, from the version after them, when the read has used them up. Bounds a
    /// read's memory whatever the stream's length; a range of N records then costs N / this walks.
    /// </summary>
    public int MaxPlannedRecords { get; set; } = DefaultMaxPlannedRecords;

    private readonly ReadAheadStatistics _readAheadStatistics = new();
    private int _lastWalkSequentialReads;

    /// <summary>What the walks' read-ahead has advised since the log opened.</summary>
    public ReadAheadStatistics ReadAheadStatistics => _readAheadStatistics;

    /// <summary>
    /// The index entry of <paramref name="streamId"/>; an idle candidate is verified against its latest record on disk
    /// (one small synchronous read).
    /// </summary>
    public bool TryGetEntry(string streamId, ulong hash, out StreamEntry entry)
        => index.TryFind(streamId, hash, MatchesOnDisk, out entry, out _, out _);

    /// <summary>True when the record at <paramref name="position"/> belongs to <paramref name="streamId"/> (index collision check).</summary>
    /// <remarks>
    /// Reads only the header and the stream id: a matching id is accepted (damage cannot plausibly turn one id into
    /// another); a different id is confirmed with a full CRC check, so corruption is reported rather than taken for a
    /// hash collision.
    /// </remarks>
    public bool MatchesOnDisk(long position, string streamId)
    {
        var segment = segments.Current.Find(LogPosition.Segment(position));
        long offset = LogPosition.Offset(position);
        if (segment is null || !segment.TryAcquire())
        {
            throw MissingRecord(streamId, position);
        }

        try
        {
            Span<byte> head = stackalloc byte[RecordHeader.Size + StreamId.MaxByteLength];
            int n = segment.File.Read(offset, head);
            if (RecordHeader.TryRead(head[..n], maxRecordLength, out var header, out _) && n >= RecordHeader.Size + header.StreamIdLength
                && Utf8Equals(head.Slice(RecordHeader.Size, header.StreamIdLength), streamId))
            {
                return true;
            }

            // Not this id, or not a plausible record: read it whole (CRC) so damage is reported as damage.
            int length = header.Length > 0 ? header.Length : RecordHeader.Size;
            byte[] record = new byte[Math.Max(length, RecordHeader.Size)];
            int read = segment.File.Read(offset, record);
            if (!RecordHeader.TryRead(record.AsSpan(0, read), maxRecordLength, out header, out string? reason))
            {
                throw new LogCorruptedException(segment.Path, offset, reason ?? "invalid record header");
            }

            if (read < header.Length || !RecordCodec.CrcMatches(record.AsSpan(0, header.Length), segment.Header.RecordSalt))
            {
                throw new LogCorruptedException(segment.Path, offset, $"the CRC of a {header.Type} record does not match");
            }

            return Utf8Equals(record.AsSpan(RecordHeader.Size, header.StreamIdLength), streamId);
        }
        finally
        {
            segment.Release();
        }
    }

    /// <summary>Reads a stream for recovery: the newest checkpoint within <paramref name="bound"/> and the events after it.</summary>
    public async ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ulong hash, ReadBound bound, CancellationToken cancellationToken)
    {
        byte[] id = System.Text.Encoding.UTF8.GetBytes(streamId);
        long previousLatest = LogPosition.None;
        for (int attempt = 1; ; attempt++)
        {
            bool found = false;
            foreach (var entry in Candidates(streamId, hash))
            {
                var walk = await WalkStreamAsync(streamId, id, entry, bound, cancellationToken).ConfigureAwait(false);
                if (walk.NotThisStream)
                {
                    continue; // a hash collision: another stream's entry
                }

                found = true;
                if (walk.Result is { } result)
                {
                    return result;
                }

                // A record on the path is in a segment that is gone: the log closed, compaction moved the stream
                // meanwhile (then its entry changed: retry), or the segment was lost (Salvage opened without it).
                ObjectDisposedException.ThrowIf(isClosed(), typeof(WriteAheadLog));
                if (attempt == ReadAttempts || entry.LatestPosition == previousLatest || !Changed(streamId, hash, entry))
                {
                    // A latest read only walks records the index keeps live: their segment cannot have been reclaimed.
                    // A point-in-time read may reach below the base, where space management deletes on purpose.
                    throw bound.IsLatest ? MissingRecord(streamId, walk.Gone) : new EventsReclaimedException(streamId, bound.ToVersion ?? 1, entry.BaseVersion + 1);
                }

                previousLatest = entry.LatestPosition;
                break;
            }

            if (!found)
            {
                return new StreamReadResult(streamId, null, [], 0, false);
            }
        }
    }

    /// <summary>Reads the events of versions [<paramref name="fromVersion"/>, <paramref name="toVersion"/>], ignoring checkpoints.</summary>
    public async ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, ulong hash, long fromVersion, long toVersion, CancellationToken cancellationToken)
    {
        byte[] id = System.Text.Encoding.UTF8.GetBytes(streamId);
        for (int attempt = 1; ; attempt++)
        {
            bool found = false;
            foreach (var entry in Candidates(streamId, hash))
            {
                var (events, notThis) = await CollectEventsAsync(streamId, id, entry, fromVersion, toVersion, stopAtGap: false, cancellationToken).ConfigureAwait(false);
                if (notThis)
                {
                    continue;
                }

                found = true;
                if (events is not null)
                {
                    return events;
                }

                // A record on the path is in a segment that is gone: the log was closed, or compaction moved the
                // stream meanwhile (then the index entry changed: retry with it), or the events were really reclaimed.
                ObjectDisposedException.ThrowIf(isClosed(), typeof(WriteAheadLog));
                if (attempt == ReadAttempts || !Changed(streamId, hash, entry))
                {
                    try
                    {
                        var partial = (await CollectEventsAsync(streamId, id, entry, fromVersion, toVersion, stopAtGap: true, cancellationToken).ConfigureAwait(false)).Events!;
                        ObjectDisposedException.ThrowIf(isClosed(), typeof(WriteAheadLog));
                        return partial;
                    }
                    catch (Exception ex) when (ex is EventsReclaimedException or LogCorruptedException)
                    {
                        // Segments vanish when the log closes too: that is neither a reclaim nor a loss.
                        ObjectDisposedException.ThrowIf(isClosed(), typeof(WriteAheadLog));
                        throw;
                    }
                }

                break;
            }

            if (!found)
            {
                return [];
            }
        }
    }

    /// <summary>The error for a stream whose read path leads into a segment that is not there.</summary>
    /// <param name="streamId">The stream read.</param>
    /// <param name="position">The position of the record the read needs.</param>
    /// <param name="what">What the record holds, when the caller knows (for example "events up to version 7").</param>
    public LogCorruptedException MissingRecord(string streamId, long position, string? what = null) => new(
        Path.Combine(directory, SegmentHeader.FileName(LogPosition.Segment(position))),
        LogPosition.Offset(position),
        $"stream '{streamId}' needs its record at {LogPosition.Format(position)}{(what is null ? "" : $" ({what})")}, but the segment is missing (its records were lost; see the recovery notes of the open)");

    /// <summary>
    /// The entries that may be <paramref name="streamId"/>: its hot entry, or the idle entries with its hash (each
    /// checked by the walk against the id in its latest record).
    /// </summary>
    private List<StreamEntry> Candidates(string streamId, ulong hash)
    {
        var candidates = new List<StreamEntry>(1);
        while (true)
        {
            var tiers = index.Current;
            if (tiers.Hot.TryGetValue(streamId, out var hot))
            {
                candidates.Add(hot.Read());
                return candidates;
            }

            bool moved = false;
            for (int k = tiers.LowerBound(hash); k < tiers.IdleCount && tiers.Idle[k].Hash == hash; k++)
            {
                StreamEntry entry = tiers.ReadIdle(k);
                if (StreamIndex.IsMoved(tiers, k))
                {
                    moved = true;
                }
                else
                {
                    candidates.Add(entry);
                }
            }

            if (!moved)
            {
                return candidates;
            }

            candidates.Clear(); // promoted meanwhile: the hot tier has it now
        }
    }

    /// <summary>True when the index's entry of the stream is no longer <paramref name="entry"/> (compaction moved it).</summary>
    private bool Changed(string streamId, ulong hash, in StreamEntry entry)
    {
        foreach (var now in Candidates(streamId, hash))
        {
            if (now.LatestPosition == entry.LatestPosition)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string text)
    {
        Span<byte> buffer = stackalloc byte[StreamId.MaxByteLength];
        return System.Text.Unicode.Utf8.FromUtf16(text, buffer, out _, out int written) == System.Buffers.OperationStatus.Done
            && utf8.SequenceEqual(buffer[..written]);
    }
}
