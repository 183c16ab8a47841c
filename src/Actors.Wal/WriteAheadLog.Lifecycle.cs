using Actors.Wal.ChangeFeed;
using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Maintenance;
using Actors.Wal.Recovery;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    /// <summary>Runs recovery (before any thread starts: recovery owns the index and the segments meanwhile).</summary>
    private void Recover()
    {
        var recovery = new LogRecovery(_options, _fileSystem, _time, _logger, _index, _segments, _reader);
        var recovered = recovery.Run();
        _recovered = recovered;
        _directoryLock = recovered.DirectoryLock;
        VerifyEncryptionKeys();
        if (recovered.DiskFull is { } diskFull)
        {
            _health.EnterFailed("open", diskFull);
        }

        var statistics = recovered.Statistics;
        _instruments.RecordRecovery(statistics.Duration);
        foreach (string note in statistics.Notes)
        {
            LogRecoveryNote(note);
        }

        LogOpened(_options.Directory, statistics.Segments, statistics.SegmentsScanned, statistics.RecordsScanned, statistics.Streams, statistics.TruncatedBytes, statistics.Duration.TotalMilliseconds);
    }

    /// <summary>Starts the writer, the committer, maintenance and the segment manager (unless read-only or failed).</summary>
    private async Task StartAsync()
    {
        var recovered = _recovered!;
        if (_options.ReadOnly || recovered.Active is not { } active)
        {
            return;
        }

        _committer = new Committer(_options, _index, _segments, _health, _counters, _instruments, _commitPolicy, g => _writer!.ReturnGroup(g), recovered.NextLsn - 1, recovered.RecoveredPosition);
        _writer = new LogWriter(_options, _index, _segments, _committer, _health, _counters, _instruments, _time, _logger, _reader.MatchesOnDisk, active, recovered.NextLsn, recovered.LastTimestamp) { Cipher = _cipher };
        RestoreRetainedReaders();
        _maintenance = new LogMaintenance(_options, _fileSystem, _index, _segments, _reader, _writer, _committer, _health, _counters, _time, _logger) { Retentions = _retentions, Cipher = _cipher };
        _writer.Rotated = _maintenance.RequestPass;
        _committer.ChainGrown = _maintenance.RequestConsolidation;
        _committer.Source = _writer;
        _committer.Start();
        _segments.Start();
        _maintenance.Start();
        _segments.RequestBackgroundWork(manifestChanged: false);
        _maintenance.RestoreErasureScans();
        if (_segments.Current.All.Any(s => s.HoldsErasedData))
        {
            // An erase before the restart left records its pass has not removed yet, and it may have stopped before
            // deleting the files kept for reuse.
            _segments.DiscardRecycledFiles();
            _maintenance.RequestErasePass();
        }

        if (_cipher is not null && _segments.Current.All.Any(s => s.IsSealed && s.Header.KeyId != _cipher.Current.Id))
        {
            // Segments written with an older key (or before encryption): compaction rewrites them with the current one.
            _maintenance.RequestRekeyPass();
        }

        if (recovered.ClaimsViolated)
        {
            // Salvage gave up records below a durable claim: replace the claims so the next open does not refuse the
            // repaired log (the recovery notes say what was lost).
            await _maintenance.WriteSnapshotAsync(clean: false).ConfigureAwait(false);
        }

        if (_options.SyncPolicy == SyncPolicy.Interval)
        {
            _syncTimer = _time.CreateTimer(_ => RequestBackgroundFlush(), null, _options.SyncInterval, _options.SyncInterval);
        }
    }

    private async Task CloseAsync()
    {
        try
        {
            if (_syncTimer is not null)
            {
                await _syncTimer.DisposeAsync().ConfigureAwait(false);
            }

            if (_writer is not null)
            {
                _writer.Close();
                await _writer.Stopped.ConfigureAwait(false);
                await _committer!.Stopped.ConfigureAwait(false);
                await _maintenance!.StopAsync().ConfigureAwait(false);
                await _segments.StopAsync().ConfigureAwait(false);
                FinishCleanly();
            }
        }
        finally
        {
            CloseFiles();
            _instruments.Dispose();
            _closed.TrySetResult();
        }
    }

    /// <summary>
    /// After the pipeline drained: the last segment's records durable, the manifest current, the clean-shutdown
    /// snapshot (its recovery point is the end of the log). Skipped when abandoned or failed (never fsync after a failure).
    /// </summary>
    private void FinishCleanly()
    {
        if (_health.IsAbandoned || _health.IsFailed)
        {
            return;
        }

        string operation = "close";
        try
        {
            var active = _writer!.Active;
            if (active.DurableOffset < active.WrittenOffset)
            {
                active.File.FlushData();
                active.DurableOffset = active.WrittenOffset;
            }

            operation = "manifest";
            _segments.WriteManifest();
            operation = "change-feed readers";
            _retentions.PersistIfChanged();
            operation = "snapshot";
            long end = LogPosition.Create(active.Id, active.WrittenOffset);
            byte[] data = SnapshotWriter.SerializeFull(clean: true, end, _writer.NextLsn, _writer.LastTimestamp, _index, _segments.Current);
            SnapshotWriter.WriteFull(_fileSystem, _options.Directory, data);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _health.EnterFailed(operation, ex);
        }
    }

    /// <summary>
    /// Registers the retained change-feed readers stored before the restart (before maintenance can delete a segment
    /// they hold), and from now on writes the readers file whenever they change, while the log is open and healthy.
    /// </summary>
    private void RestoreRetainedReaders()
    {
        _retentions.Restore(RetainedReadersFile.Load(_fileSystem, _options.Directory, out string? note));
        if (note is not null)
        {
            LogRecoveryNote(note);
        }

        _retentions.Persist = readers =>
        {
            if (Volatile.Read(ref _filesClosed) || _health.IsAbandoned || _health.IsFailed)
            {
                return; // never write after a crash simulation, a failure or the close
            }

            RetainedReadersFile.Write(_fileSystem, _options.Directory, readers);
        };
    }

    private void CloseFiles()
    {
        Volatile.Write(ref _filesClosed, true);
        _segments.CloseAll();
        _directoryLock?.Dispose();
        _directoryLock = null;
    }

    private void RequestBackgroundFlush()
    {
        if (Interlocked.Exchange(ref _backgroundFlushQueued, 1) != 0)
        {
            return;
        }

        var flush = new FlushRequest();
        if (_writer?.TryEnqueue(flush) == true)
        {
            // Observed: a failure is already logged and kept in IsFailed; it must not surface as an unobserved exception.
            _ = flush.Task.ContinueWith(
                (t, state) =>
                {
                    _ = t.Exception;
                    Interlocked.Exchange(ref ((WriteAheadLog)state!)._backgroundFlushQueued, 0);
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        else
        {
            Interlocked.Exchange(ref _backgroundFlushQueued, 0);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Opened log {Directory}: {Segments} segments ({SegmentsScanned} scanned), {Records} records scanned, {Streams} streams, {TruncatedBytes} torn bytes, {DurationMs:F1} ms")]
    private partial void LogOpened(string directory, int segments, int segmentsScanned, long records, long streams, long truncatedBytes, double durationMs);

    [LoggerMessage(2, LogLevel.Warning, "Recovery: {Note}")]
    private partial void LogRecoveryNote(string note);
}
