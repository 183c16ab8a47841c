using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

/// <summary>
/// Yields a stream's records newest first along its back-pointer chain, following anchor positions where records carry
/// them (docs/wal-format.md, "Record"): from a record with an anchor it reads the chain of anchors one after another
/// and, concurrently, walks each anchor's back-pointers down to the anchor before it (one <see cref="RecordCursor"/>
/// per sub-walk), so a chain of N records costs about N ÷ K + K dependent reads instead of N. A sub-walk knows its records
/// lie above the anchor it stops at, so its cursor reads the whole span down to it in one read while the span is at most
/// <see cref="SpanWindowPerRecord"/> per record it may hold (<see cref="RecordCursor.Floor"/>): about N ÷ K + 2 dependent
/// reads and 2N ÷ K + 1 in all. Where the anchor carries its span's positions (format version 6), the sub-walk reads them
/// all at once instead (<see cref="SpanRead"/>): about N ÷ K + 2 dependent reads however far apart the records lie.
/// </summary>
/// <remarks>
/// Ownership: one walk (<c>LogReader.WalkStreamAsync</c>), one consumer at a time; the sub-walks and anchor reads it
/// starts run on the thread pool and only ever read. The records come out in exactly the order of a plain walk, each
/// checked the same way (header, CRC, stream id, a back-pointer that goes backwards); in addition an anchor must go
/// backwards, lead to a record of the same stream and lie on the chain (the back-pointers from the record that carries
/// it reach it exactly): anything else is <see cref="LogCorruptedException"/> naming the segment and offset of the
/// record that carries the pointer. At most <see cref="Window"/> sub-walks run ahead of the consumer; what they read
/// past the point where the consumer stops is dropped (its errors too: a plain walk would never have read it). A record
/// in a deleted segment ends the walk with its position (<see cref="Position"/>), as in a plain walk. The AppContext
/// switch <see cref="Switch"/> (default true) set to false when a log opens makes its walks plain, ignoring anchors
/// (tests turn one log's off through <c>LogReader.AnchoredWalks</c>). The walk's read-ahead is
/// told of the records read in sequence (the plain steps and the anchors: the two cursors are never in use at once, the
/// anchor reads run while the consumer waits for them and end before it walks plainly again), not of the sub-walks'.
/// </remarks>
internal sealed class ChainWalk : IAsyncDisposable
{
    /// <summary>The AppContext switch (a boolean, default true) that turns anchored walks off, for side-by-side measurements and tests.</summary>
    public const string Switch = "Actors.Wal.AnchoredWalks";

    /// <summary>
    /// The AppContext switch (a boolean, default true, read per walk) that turns span reads off: each sub-walk then reads its
    /// records one window at a time instead of its whole span down to its anchor in one read (<see cref="RecordCursor.Floor"/>).
    /// </summary>
    public const string SpanReadsSwitch = "Actors.Wal.SubWalkSpanReads";

    /// <summary>
    /// How many bytes a sub-walk's window may read per record it may still need, to reach down to its anchor in one read:
    /// at most K - 1 records lie between two anchors, so a whole span is read in one read while it is at most 144 KiB
    /// (9 x 16 KiB). The sub-walks of one read run at once, so the dependent round trips of their record-by-record reads
    /// overlap while the bytes of their spans add up: a read of N records from its newest waits about (N ÷ K + K) round
    /// trips walking record by record, (N ÷ K + 1) round trips plus N x spacing bytes reading spans. With a cold round trip
    /// of 50-70 µs and 0.8-1.9 GB/s (this machine, loaded and quiet) the two meet at about 10-17 KiB between two of the
    /// stream's records; further apart (one stream among very many writing at once), the sub-walks read record by record,
    /// without the gaps.
    /// </summary>
    public const int SpanWindowPerRecord = 16 * 1024;

    /// <summary>The most anchors read ahead of the record the consumer takes.</summary>
    public const int Window = 16;

    private readonly SegmentManager _segments;
    private readonly long _maxRecordLength;
    private readonly byte[] _id;
    private readonly bool _anchored;
    private readonly bool _spanPositions;
    private readonly bool _advise = ReadAheadNative.IsSupported && ReadAhead.Enabled;
    private readonly bool _spanReads = SpanReadsEnabled;
    private readonly RecordCursor _cursor;
    private readonly RecordCursor _anchorCursor;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<Task<List<Step>>> _pieces = new();
    private readonly List<Task> _started = [];
    private List<Step>? _current;
    private int _currentIndex;
    private Task<Step?>? _lastAnchor;
    private int _anchorsAhead;
    private long _plainNext;
    private int _depth;

    /// <summary>Starts a walk of the chain whose newest record is at <paramref name="head"/>.</summary>
    /// <param name="segments">The segments to read.</param>
    /// <param name="maxRecordLength">The longest valid record.</param>
    /// <param name="readAhead">The walk's read-ahead (null: none).</param>
    /// <param name="id">The stream id's UTF-8 bytes (every record after the first must carry it).</param>
    /// <param name="head">The position of the stream's latest record.</param>
    /// <param name="anchored">False: walk plainly, ignoring anchors (<see cref="Enabled"/> is the log's default).</param>
    /// <param name="spanPositions">False: walk each span between anchors record by record, ignoring span positions (as the <see cref="SpanPositionsSwitch"/> does).</param>
    public ChainWalk(SegmentManager segments, long maxRecordLength, ReadAhead? readAhead, byte[] id, long head, bool anchored, bool spanPositions)
    {
        _segments = segments;
        _maxRecordLength = maxRecordLength;
        _id = id;
        _anchored = anchored;
        _spanPositions = spanPositions && SpanPositionsEnabled;
        _cursor = new RecordCursor(segments, maxRecordLength, readAhead: readAhead);
        _anchorCursor = new RecordCursor(segments, maxRecordLength, readAhead: readAhead); // never in use at once with _cursor
        _plainNext = head;
        Position = head;
    }

    /// <summary>True unless the <see cref="SpanReadsSwitch"/> turned span reads off (read when a walk starts).</summary>
    public static bool SpanReadsEnabled => AppContext.TryGetSwitch(SpanReadsSwitch, out bool on) ? on : true;

    /// <summary>
    /// The AppContext switch (a boolean, default true, read per walk) that turns span position reads off: each span
    /// between two anchors is then walked record by record even where its anchor carries the span's positions.
    /// </summary>
    public const string SpanPositionsSwitch = "Actors.Wal.SpanPositionReads";

    /// <summary>True unless the <see cref="SpanPositionsSwitch"/> turned span position reads off (read when a walk starts).</summary>
    public static bool SpanPositionsEnabled => AppContext.TryGetSwitch(SpanPositionsSwitch, out bool on) ? on : true;

    /// <summary>True unless the <see cref="Switch"/> turned anchored walks off (read when a log opens).</summary>
    public static bool Enabled => AppContext.TryGetSwitch(Switch, out bool on) ? on : true;

    /// <summary>The position of the record <see cref="NextAsync"/> returned last (or could not read: its segment is gone).</summary>
    public long Position { get; private set; }

    /// <summary>False once the chain ended (the last record returned points to no earlier one).</summary>
    public bool HasNext => _current is not null && _currentIndex < _current.Count || _pieces.Count > 0 || _plainNext != LogPosition.None;

    /// <summary>
    /// The longest run of dependent reads behind the records returned so far: each record's position was learned from the
    /// record read before it in this run (a plain walk of N records: N; in a sub-walk, the records one window read served
    /// count as that one read).
    /// </summary>
    public int SequentialReads { get; private set; }

    /// <summary>The next record of the chain; null when its segment was deleted (<see cref="Position"/> says where).</summary>
    /// <exception cref="LogCorruptedException">A record, a back-pointer or an anchor on the way is damaged.</exception>
    public async ValueTask<StoredRecord?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_current is not null && _currentIndex < _current.Count)
            {
                return Take(_current[_currentIndex++]);
            }

            _current = null;
            if (_pieces.TryDequeue(out var piece))
            {
                _current = await piece.WaitAsync(cancellationToken).ConfigureAwait(false);
                _currentIndex = 0;
                continue;
            }

            // Plain: one record, its position learned from the record before.
            long position = _plainNext;
            cancellationToken.ThrowIfCancellationRequested();
            Position = position;
            var read = await _cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
            if (read is not { } record)
            {
                _plainNext = LogPosition.None;
                return null;
            }

            _depth++;
            SequentialReads = Math.Max(SequentialReads, _depth);
            _plainNext = LogReader.NextBackPointer(record, position);
            if (_anchored && record.Header.HasAnchor)
            {
                StartAnchored(new Step(record, position, _depth));
            }

            return record;
        }
    }

    private StoredRecord? Take(in Step step)
    {
        Position = step.Position;
        if (step.Record is not { } record)
        {
            _pieces.Clear();
            _plainNext = LogPosition.None;
            return null; // gone: the walk ends here
        }

        _depth = step.Depth;
        SequentialReads = Math.Max(SequentialReads, step.Depth);
        if (step.IsAnchor)
        {
            _anchorsAhead--;
            if (!record.Header.HasAnchor)
            {
                // The last anchor of the run: the walk goes on plainly below it (what the queue holds after it is empty).
                _pieces.Clear();
                _plainNext = LogReader.NextBackPointer(record, step.Position);
                return record;
            }

            TopUp();
        }

        return record;
    }

    /// <summary>Starts the sub-walk below <paramref name="from"/> (just read, carrying an anchor) and the anchor reads after it.</summary>
    private void StartAnchored(Step from)
    {
        _plainNext = LogPosition.None;
        var start = Task.FromResult<Step?>(from);
        _pieces.Enqueue(Track(SubWalkAsync(start)));
        _lastAnchor = start;
        _anchorsAhead = 0;
        TopUp();
    }

    /// <summary>Keeps <see cref="Window"/> anchors (each with its sub-walk) queued ahead of the consumer.</summary>
    private void TopUp()
    {
        while (_anchorsAhead < Window && _lastAnchor is not null)
        {
            var anchor = ReadAnchorAsync(_lastAnchor);
            _started.Add(anchor);
            _pieces.Enqueue(Track(AsPiece(anchor)));
            _pieces.Enqueue(Track(SubWalkAsync(anchor)));
            _lastAnchor = anchor;
            _anchorsAhead++;
        }
    }

    private Task<List<Step>> Track(Task<List<Step>> task)
    {
        _started.Add(task);
        return task;
    }

    private static async Task<List<Step>> AsPiece(Task<Step?> anchor)
        => await anchor.ConfigureAwait(false) is { } step ? [step with { IsAnchor = true }] : [];

    /// <summary>Reads the anchor the record of <paramref name="previous"/> carries; null when it carries none (or was not read).</summary>
    private async Task<Step?> ReadAnchorAsync(Task<Step?> previous)
    {
        if (await previous.ConfigureAwait(false) is not { Record: { } carrier } from || !carrier.Header.HasAnchor)
        {
            return null;
        }

        long anchor = AnchorOf(carrier, from.Position);
        _stop.Token.ThrowIfCancellationRequested();
        var read = await _anchorCursor.ReadAsync(anchor, _stop.Token).ConfigureAwait(false);
        if (read is { } record && !record.StreamId.SequenceEqual(_id))
        {
            throw new LogCorruptedException(carrier.Path, carrier.Offset, $"the anchor position {LogPosition.Format(anchor)} leads to a record of another stream");
        }

        return new Step(read, anchor, from.Depth + 1);
    }

    /// <summary>The records from below <paramref name="anchorTask"/>'s record down to (not including) the anchor it carries.</summary>
    private async Task<List<Step>> SubWalkAsync(Task<Step?> anchorTask)
    {
        var steps = new List<Step>();
        if (await anchorTask.ConfigureAwait(false) is not { Record: { } top } from || !top.Header.HasAnchor)
        {
            return steps;
        }

        long stop = AnchorOf(top, from.Position);
        var rentals = new List<byte[]>();
        if (_spanPositions && top.Header.HasSpan)
        {
            try
            {
                var span = new SpanRead(_segments, _maxRecordLength, ArrayPool<byte>.Shared, rentals, _advise);
                foreach (var (record, position, reads) in await span.ReadAsync(top, from.Position, stop, _id, _stop.Token).ConfigureAwait(false))
                {
                    steps.Add(new Step(record, position, from.Depth + reads)); // every position was known at once, from the anchor
                }

                return Compact(steps);
            }
            finally
            {
                foreach (byte[] rental in rentals)
                {
                    ArrayPool<byte>.Shared.Return(rental);
                }
            }
        }

        var cursor = new RecordCursor(_segments, _maxRecordLength, ArrayPool<byte>.Shared, rentals) { Floor = _spanReads ? stop : LogPosition.None };
        try
        {
            await WalkDownAsync(cursor, top, from, stop, steps).ConfigureAwait(false);
            return Compact(steps);
        }
        finally
        {
            foreach (byte[] rental in rentals)
            {
                ArrayPool<byte>.Shared.Return(rental);
            }
        }
    }

    /// <summary>Adds the records from below <paramref name="from"/>'s record (<paramref name="top"/>) down to <paramref name="stop"/> to <paramref name="steps"/>.</summary>
    private async Task WalkDownAsync(RecordCursor cursor, StoredRecord top, Step from, long stop, List<Step> steps)
    {
        long position = LogReader.NextBackPointer(top, from.Position);
        while (position != stop)
        {
            if (position == LogPosition.None || position < stop)
            {
                throw new LogCorruptedException(
                    top.Path,
                    top.Offset,
                    $"the anchor position {LogPosition.Format(stop)} is not on the stream's chain: the back-pointers from {LogPosition.Format(from.Position)} pass it ({LogPosition.Format(position)})");
            }

            _stop.Token.ThrowIfCancellationRequested();
            cursor.FloorWindow = Math.Max(0, RecordHeader.AnchorInterval - 1 - steps.Count) * SpanWindowPerRecord;
            var read = await cursor.ReadAsync(position, _stop.Token).ConfigureAwait(false);
            int depth = from.Depth + Math.Max(1, cursor.FileReads); // the records one window served share its place in sequence
            if (read is not { } record)
            {
                steps.Add(new Step(null, position, depth));
                return;
            }

            if (!record.StreamId.SequenceEqual(_id))
            {
                throw new LogCorruptedException(record.Path, record.Offset, "a back-pointer leads to a record of another stream");
            }

            steps.Add(new Step(record, position, depth));
            position = LogReader.NextBackPointer(record, position);
        }
    }

    /// <summary>
    /// The steps with their records copied out of the cursor's pooled windows into one buffer of their own size, so the
    /// windows (up to 144 KiB, mostly other streams' bytes) go back to the pool and
    /// nothing the read returns (event payloads are slices of their record) keeps one alive.
    /// </summary>
    private static List<Step> Compact(List<Step> steps)
    {
        int total = 0;
        foreach (var step in steps)
        {
            total += step.Record?.Bytes.Length ?? 0;
        }

        byte[] bytes = new byte[total];
        int at = 0;
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i].Record is { } record)
            {
                record.Bytes.CopyTo(bytes.AsMemory(at));
                steps[i] = steps[i] with { Record = record with { Bytes = bytes.AsMemory(at, record.Bytes.Length) } };
                at += record.Bytes.Length;
            }
        }

        return steps;
    }

    /// <summary>The anchor a record carries, checked to point strictly backwards.</summary>
    private static long AnchorOf(in StoredRecord record, long position)
    {
        long anchor = RecordCodec.ReadAnchor(record.Header, record.Bytes.Span);
        if (anchor < 0 || anchor >= position)
        {
            throw new LogCorruptedException(
                record.Path,
                record.Offset,
                $"the anchor position ({LogPosition.Format(anchor)}) does not point backwards from {LogPosition.Format(position)}");
        }

        return anchor;
    }

    /// <summary>Stops what runs ahead and waits for it (its results and errors are dropped: the consumer did not need them).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in _started)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Read ahead of the consumer and never used (or already seen by it through the same task).
            }
        }

        _stop.Dispose();
    }

    /// <summary>One record of the walk (null: its segment was deleted), its position and how many dependent reads led to it.</summary>
    private readonly record struct Step(StoredRecord? Record, long Position, int Depth, bool IsAnchor = false);
}
