using Microsoft.Extensions.Logging;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    [LoggerMessage(1, LogLevel.Information, "Opened log {Directory}: {Segments} segments ({SegmentsScanned} scanned), {Records} records scanned, {Streams} streams, {TruncatedBytes} torn bytes, {DurationMs:F1} ms")]
    private partial void LogOpened(string directory, int segments, int segmentsScanned, long records, long streams, long truncatedBytes, double durationMs);

    [LoggerMessage(2, LogLevel.Warning, "Recovery: {Note}")]
    private partial void LogRecoveryNote(string note);

    [LoggerMessage(3, LogLevel.Debug, "Sealed segment {SegmentId} at {Bytes} bytes; writing to segment {NextSegmentId}")]
    private partial void LogRotated(uint segmentId, long bytes, uint nextSegmentId);

    [LoggerMessage(4, LogLevel.Critical, "The log failed during {Operation} and is read-only until reopened (fsync is never retried)")]
    private partial void LogFailed(string operation, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Space pass: deleted {Deleted} segments, compacted {Compacted} ({Relocated} streams copied forward), freed {Freed} bytes")]
    private partial void LogSpacePass(int deleted, int compacted, int relocated, long freed);

    [LoggerMessage(6, LogLevel.Warning, "Stream {StreamId} was not copied forward: its live records need {Bytes} bytes, more than one record can hold")]
    private partial void LogRelocationSkipped(string streamId, long bytes);

    [LoggerMessage(7, LogLevel.Warning, "Space management skipped a stream with a damaged record (its segments stay; the log keeps working): {Reason}")]
    private partial void LogCorruptRecordSkipped(string reason, Exception exception);
}
