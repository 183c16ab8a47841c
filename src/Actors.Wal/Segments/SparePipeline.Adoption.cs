using Actors.Wal.Format;

namespace Actors.Wal.Segments;

// The spare recovery kept: adopted before the pipeline starts, checked (and zeroed if need be) on its thread.
internal sealed partial class SparePipeline
{
    /// <summary>
    /// Keeps a spare recovery found (before <see cref="Start"/>): renamed to its spare name if need be (durably), it stays
    /// listed, and the pipeline's thread checks that everything after its header is zero (it may hold records of a switch
    /// a crash cut short: those are zeroed) before the writer may take it.
    /// </summary>
    public void Adopt(Segment spare)
    {
        string spareName = SegmentHeader.FileName(spare.Id) + SegmentManager.SpareSuffix;
        if (Path.GetFileName(spare.Path) != spareName)
        {
            _files.Rename(spare, spareName, syncDirectory: true);
        }

        lock (_lock)
        {
            _pending = spare;
            _pendingId = spare.Id;
            _verifying = true;
        }

        _work.Release(); // checked as soon as the thread starts
    }

    /// <summary>Checks (and if need be zeroes) the spare recovery kept, then hands it out (pipeline thread).</summary>
    private void VerifyAdopted()
    {
        Segment spare;
        lock (_lock)
        {
            spare = _pending!;
        }

        Segment? verified = null;
        try
        {
            var reader = new SegmentReader(spare.File, _files.SegmentSizeBytes);
            if (!reader.IsZeroFrom(SegmentHeader.Size) && reader.FindNextValidRecord(SegmentHeader.Size - 1) >= 0)
            {
                // Records of a switch a crash cut short (never acknowledged; they carry this segment's salt): they must not
                // be read as this segment's. Other bytes (a recycled file's old records) fail validation already.
                _files.ZeroAfterHeader(spare, () =>
                {
                    if (Volatile.Read(ref _stopping))
                    {
                        throw new OperationCanceledException("The spare pipeline is stopping.");
                    }
                });
            }

            verified = spare;
        }
        finally
        {
            FinishVerification(verified);
        }
    }

    /// <summary>
    /// Ends the check of an adopted spare: <paramref name="verified"/> becomes the ready spare, or (null) the adopted file
    /// is closed and left unlisted (the next manifest omits it; the next recovery removes it).
    /// </summary>
    private void FinishVerification(Segment? verified)
    {
        Segment? dropped;
        lock (_lock)
        {
            dropped = verified is null ? _pending : null;
            _ready = verified;
            _pending = null;
            _pendingId = 0;
            _verifying = false;
            _settled.Set();
        }

        dropped?.Retire();
    }
}
