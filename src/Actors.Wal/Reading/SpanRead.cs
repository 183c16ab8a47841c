using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

/// <summary>
/// Reads the records of one anchor's span at once, from the span positions the anchor carries (docs/wal-format.md, "Span
/// positions"): every position is known from the anchor, so the reads do not wait for each other. Positions that lie
/// close together (at most <see cref="ChainWalk.SpanWindowPerRecord"/> apart in one segment) are read in one window; the
/// others one window each, all at once, after the kernel was asked to read them all ahead
/// (<see cref="ReadAheadNative"/>: the disk sees them at once even where the file reads queue for threads).
/// </summary>
/// <remarks>
/// <para>
/// The positions are hints for what to read, never trusted for what is returned: they must lie strictly between the
/// anchor and the record carrying them, in order, before anything is read; then the records are taken newest first and
/// each must be the one the back-pointers lead to (the carrier's previous record first, the anchor after the oldest),
/// with the stream's id and a valid CRC. So the records come out exactly as the plain walk of the span returns them, and a
/// span position that does not match the chain is <see cref="LogCorruptedException"/> naming the segment and offset of
/// the record that carries it. A read error of a record is reported only when the walk reaches that record (a record
/// the plain walk would not read does not fail the read); a record in a deleted segment ends the span there.
/// </para>
/// <para>Ownership: one sub-walk; its reads run on the thread pool and only ever read. The windows are rented from
/// <paramref name="pool"/> and added to <paramref name="rentals"/> once every read has ended (the caller returns them).</para>
/// </remarks>
/// <param name="segments">The segments to read.</param>
/// <param name="maxRecordLength">The longest valid record.</param>
/// <param name="pool">The pool the windows are rented from.</param>
/// <param name="rentals">Where the rented windows go.</param>
/// <param name="advise">True: ask the kernel to read every window ahead before reading it (Linux).</param>
internal sealed class SpanRead(SegmentManager segments, long maxRecordLength, ArrayPool<byte> pool, List<byte[]> rentals, bool advise)
{
    /// <summary>
    /// The records between <paramref name="top"/> (at <paramref name="topPosition"/>, carrying span positions) and the
    /// anchor at <paramref name="stop"/>, newest first, each with its position and the file reads before it in its window's
    /// run (1 for the records a run's first window served).
    /// </summary>
    /// <exception cref="LogCorruptedException">The span positions are out of order or not the stream's chain, or a record is damaged.</exception>
    public async Task<List<(StoredRecord? Record, long Position, int Reads)>> ReadAsync(StoredRecord top, long topPosition, long stop, byte[] id, CancellationToken cancellationToken)
    {
        long[] positions = new long[RecordHeader.SpanPositions]; // oldest first
        _ = RecordCodec.ReadSpan(top.Header, top.Bytes.Span, positions);
        for (int i = 0; i < positions.Length; i++)
        {
            long low = i == 0 ? stop : positions[i - 1];
            if (positions[i] <= low || positions[i] >= topPosition)
            {
                throw new LogCorruptedException(
                    top.Path,
                    top.Offset,
                    $"the span position {i} ({LogPosition.Format(positions[i])}) is not between {LogPosition.Format(low)} and {LogPosition.Format(topPosition)}: the span positions must lie in order between the anchor and the record carrying them");
            }
        }

        var results = new Result[positions.Length];
        var runs = Runs(positions);
        if (advise)
        {
            Advise(positions, runs);
        }

        var reads = new Task[runs.Count];
        var runRentals = new List<byte[]>[runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            runRentals[r] = [];
            reads[r] = ReadRunAsync(positions, runs[r], results, runRentals[r], cancellationToken);
        }

        try
        {
            await Task.WhenAll(reads).ConfigureAwait(false); // each run catches its records' errors: only cancellation ends one early
        }
        finally
        {
            foreach (var list in runRentals)
            {
                rentals.AddRange(list);
            }
        }

        return Chain(top, topPosition, stop, id, positions, results);
    }

    /// <summary>Takes the records newest first along the back-pointers, checking each against the span positions.</summary>
    private static List<(StoredRecord? Record, long Position, int Reads)> Chain(StoredRecord top, long topPosition, long stop, byte[] id, long[] positions, Result[] results)
    {
        var steps = new List<(StoredRecord?, long, int)>(positions.Length);
        long expected = LogReader.NextBackPointer(top, topPosition);
        for (int i = positions.Length - 1; i >= 0; i--)
        {
            if (positions[i] != expected)
            {
                throw new LogCorruptedException(
                    top.Path,
                    top.Offset,
                    $"the span position {i} ({LogPosition.Format(positions[i])}) is not the stream's chain: the back-pointers lead to {LogPosition.Format(expected)}");
            }

            var result = results[i];
            result.Error?.Throw();
            if (result.Record is not { } record)
            {
                steps.Add((null, positions[i], result.Reads)); // its segment was deleted: the walk ends here
                return steps;
            }

            if (!record.StreamId.SequenceEqual(id))
            {
                throw new LogCorruptedException(record.Path, record.Offset, "a back-pointer leads to a record of another stream");
            }

            steps.Add((record, positions[i], result.Reads));
            expected = LogReader.NextBackPointer(record, positions[i]);
        }

        if (expected != stop)
        {
            throw new LogCorruptedException(
                top.Path,
                top.Offset,
                $"the anchor position {LogPosition.Format(stop)} is not on the stream's chain: the back-pointers from the span positions lead to {LogPosition.Format(expected)}");
        }

        return steps;
    }

    /// <summary>The runs of positions (indexes, newest first) that one window reads: one segment, each at most <see cref="ChainWalk.SpanWindowPerRecord"/> below the next.</summary>
    private static List<(int High, int Low)> Runs(long[] positions)
    {
        var runs = new List<(int, int)>();
        int high = positions.Length - 1;
        for (int i = positions.Length - 1; i >= 0; i--)
        {
            bool last = i == 0
                || LogPosition.Segment(positions[i - 1]) != LogPosition.Segment(positions[i])
                || positions[i] - positions[i - 1] > ChainWalk.SpanWindowPerRecord;
            if (last)
            {
                runs.Add((high, i));
                high = i - 1;
            }
        }

        return runs;
    }

    /// <summary>Asks the kernel to read every run's window ahead (hints only: a file that cannot be opened is skipped).</summary>
    private void Advise(long[] positions, List<(int High, int Low)> runs)
    {
        int descriptor = -1;
        uint opened = 0;
        try
        {
            foreach (var (high, low) in runs)
            {
                uint segmentId = LogPosition.Segment(positions[high]);
                if (descriptor < 0 || opened != segmentId)
                {
                    ReadAheadNative.Close(descriptor);
                    descriptor = segments.Current.Find(segmentId) is { } segment ? ReadAheadNative.Open(segment.Path) : -1;
                    opened = segmentId;
                }

                // The bytes the run's cursor reads first (ReadRunAsync): down to the run's oldest record, or its first window.
                long end = LogPosition.Offset(positions[high]) + RecordCursor.Lookahead;
                long start = Math.Max(SegmentHeader.Size, Math.Min(LogPosition.Offset(positions[low]), end - RecordCursor.FirstWindow));
                ReadAheadNative.WillNeed(descriptor, start, end - start);
            }
        }
        finally
        {
            ReadAheadNative.Close(descriptor);
        }
    }

    /// <summary>Reads one run's records newest first with one cursor whose first window reaches down to the run's oldest.</summary>
    private async Task ReadRunAsync(long[] positions, (int High, int Low) run, Result[] results, List<byte[]> runRentals, CancellationToken cancellationToken)
    {
        var cursor = new RecordCursor(segments, maxRecordLength, pool, runRentals)
        {
            Floor = positions[run.Low],
            FloorWindow = checked((int)(LogPosition.Offset(positions[run.High]) - LogPosition.Offset(positions[run.Low]))) + RecordCursor.Lookahead,
        };
        for (int i = run.High; i >= run.Low; i--)
        {
            try
            {
                var record = await cursor.ReadAsync(positions[i], cancellationToken).ConfigureAwait(false);
                results[i] = new Result(record, Math.Max(1, cursor.FileReads), null);
                if (record is null)
                {
                    return; // the segment is gone: the walk ends at this record
                }
            }
            catch (LogCorruptedException error)
            {
                results[i] = new Result(null, cursor.FileReads, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error));
                return;
            }
        }
    }

    /// <summary>One position's outcome: its record (null: its segment is gone, or not read), the reads before it, or the error reading it.</summary>
    private readonly record struct Result(StoredRecord? Record, int Reads, System.Runtime.ExceptionServices.ExceptionDispatchInfo? Error);
}
