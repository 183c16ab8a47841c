using Actors.Replication.Options;
using Actors.Wal.Entries.Journal;
using Microsoft.Extensions.Logging;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The one <see cref="EntryJournal"/> the replicas of a silo share (<c>{log directory}/replicas/journal</c>): opened on
/// first use, opened again once a failed one has no log left on it, closed when every replica stopped.
/// </summary>
/// <remarks>Not thread-safe: <see cref="SiloReplicas"/> calls it under its gate (<see cref="Syncs"/> may be read from any thread).</remarks>
internal sealed partial class SiloEntryJournal(string directory, ReplicaOptions options, ILogger logger) : IDisposable
{
    private EntryJournal? _journal;

    /// <summary>The fsyncs of the journal since it was opened (0 before).</summary>
    public long Syncs => Volatile.Read(ref _journal)?.Syncs ?? 0;

    /// <summary>The journal, opened (or opened again after a failure that left no log on it) if need be.</summary>
    /// <exception cref="Actors.Wal.LogFailedException">It could not be opened.</exception>
    public EntryJournal Get()
    {
        if (_journal is { Failure: not null, OpenLogCount: 0 } failed)
        {
            LogJournalReopened(failed.Failure, failed.Directory);
            failed.Dispose();
            _journal = null;
        }

        if (_journal is null)
        {
            _journal = EntryJournal.Open(new EntryJournalOptions
            {
                Directory = directory,
                SegmentSizeBytes = options.EntryLogSegmentBytes,
            });
            if (_journal.TornBytesCutAtOpen > 0)
            {
                LogJournalTornTail(_journal.Directory, _journal.TornBytesCutAtOpen);
            }
        }

        return _journal;
    }

    /// <summary>Closes the journal (a later <see cref="Get"/> opens it again).</summary>
    public void Dispose()
    {
        _journal?.Dispose();
        _journal = null;
    }

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "The replicas' entry journal in {Directory}: opening it cut {Bytes} bytes of torn tail (the unsynced records of a crash; each replica's leader resends what it lacks)")]
    private partial void LogJournalTornTail(string directory, long bytes);

    [LoggerMessage(EventId = 35, Level = LogLevel.Warning, Message = "The replicas' entry journal in {Directory} failed and every replica on it stopped: opening it again from what is on disk")]
    private partial void LogJournalReopened(Exception? failure, string directory);
}
