namespace Actors.Wal;

/// <summary>What recovery did when a log was opened.</summary>
public sealed record RecoveryStatistics
{
    /// <summary>Segments found.</summary>
    public int Segments { get; init; }

    /// <summary>Segments whose records were scanned (the others were covered by a persisted index).</summary>
    public int SegmentsScanned { get; init; }

    /// <summary>Valid records found by scanning.</summary>
    public long RecordsScanned { get; init; }

    /// <summary>Streams in the index after recovery.</summary>
    public long Streams { get; init; }

    /// <summary>Bytes of segment data present.</summary>
    public long Bytes { get; init; }

    /// <summary>Bytes cut from a torn tail.</summary>
    public long TruncatedBytes { get; init; }

    /// <summary>Damaged records skipped (salvage mode only).</summary>
    public long CorruptedRecords { get; init; }

    /// <summary>Human-readable notes on each repair or skip (segment, offset, what).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>How long opening took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when the previous process closed the log cleanly.</summary>
    public bool CleanShutdown { get; init; }
}
