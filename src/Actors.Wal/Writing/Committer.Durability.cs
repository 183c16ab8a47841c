using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Wal.Segments;

namespace Actors.Wal.Writing;

// The committer's file work: writing the waiting groups and fdatasyncing what they wrote (methods only: the state is in
// Committer.cs).
internal sealed partial class Committer
{
    /// <summary>
    /// Writes the framed bytes of every pending group, in order: runs of consecutive spans in one segment (contiguous in
    /// the file) go out in one gather write. False (and the log failed) on error: the outcome of every pending group is
    /// unknown.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryWrite()
    {
        try
        {
            Segment? segment = null;
            long offset = 0;
            long end = 0;
            foreach (var group in _pending)
            {
                foreach (var (spanSegment, fileOffset, start, length) in group.Spans)
                {
                    if (!ReferenceEquals(spanSegment, segment) || fileOffset != end)
                    {
                        WriteGathered(segment, offset);
                        segment = spanSegment;
                        offset = fileOffset;
                    }

                    _gather.Add(group.Buffer.AsMemory(start, length));
                    end = fileOffset + length;
                }
            }

            WriteGathered(segment, offset);
            foreach (var group in _pending)
            {
                if (group.Records > 0 && group.LastLsn > WrittenLsn)
                {
                    Volatile.Write(ref _writtenLsn, group.LastLsn);
                }
            }

            return true;
        }
        catch (Exception ex)
        {
            _gather.Clear();
            _health.EnterFailed("write", ex);
            FailPending(_health.NewError());
            return false;
        }
    }

    private void WriteGathered(Segment? segment, long offset)
    {
        if (segment is null || _gather.Count == 0)
        {
            return;
        }

        _health.ThrowIfAbandoned();
        segment.File.WriteGathered(offset, _gather);
        _gather.Clear();
    }

    /// <summary>fdatasyncs every segment the pending groups wrote, in order. False (and the log failed) on error.</summary>
    private bool TrySync()
    {
        _toSync.Clear();
        foreach (var group in _pending)
        {
            foreach (var (segment, end) in group.Writes)
            {
                int i = _toSync.Count - 1;
                while (i >= 0 && !ReferenceEquals(_toSync[i].Segment, segment))
                {
                    i--;
                }

                if (i < 0)
                {
                    _toSync.Add((segment, end));
                }
                else if (end > _toSync[i].End)
                {
                    _toSync[i] = (segment, end);
                }
            }
        }

        try
        {
            foreach (var (segment, end) in _toSync)
            {
                _health.ThrowIfAbandoned();
                long start = Stopwatch.GetTimestamp();
                segment.File.FlushData();
                segment.DurableOffset = Math.Max(segment.DurableOffset, end);
                var elapsed = Stopwatch.GetElapsedTime(start);
                _fsyncLatency = (_fsyncLatency * 7 / 8) + (elapsed / 8);
                Interlocked.Increment(ref _counters.Fsyncs);
                _instruments.RecordFsync(elapsed);
            }

            return true;
        }
        catch (Exception ex)
        {
            // The outcome of every pending group is unknown: fail the log (fsync is never retried).
            _health.EnterFailed("fsync", ex);
            FailPending(_health.NewError());
            return false;
        }
    }
}
