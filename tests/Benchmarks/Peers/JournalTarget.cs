using System.Globalization;
using System.Runtime.CompilerServices;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// The per-silo entry journal replication writes to (<c>docs/replication.md</c>, "EntryJournal"): one
/// <see cref="EntryJournal"/> with its default options, and each writer owning one <see cref="JournaledEntryLog"/> of it
/// in a directory of its own, as each replica of a silo owns one. One acknowledged write is what a replica's driver loop
/// does for a burst of one entry: <see cref="JournaledEntryLog.Append(LoggedEntry)"/> of the next LSN (epoch 1),
/// <see cref="JournaledEntryLog.RequestSync()"/>, an await of the sync's completion that observes a fault without throwing
/// (as <c>ReplicaHost.ReportSyncWhenCompleteAsync</c> does), then <see cref="JournaledEntryLog.CompleteSync"/> on the
/// writer's own continuation, which throws when the journal failed. Counters: <see cref="EntryJournal.RecordsAppended"/>
/// and <see cref="EntryJournal.Syncs"/> (the group commit's fdatasyncs; a segment's seal is not counted).
/// </summary>
/// <remarks>
/// What is not measured: the replica's driver loop and the hop that posts the completion to it (a channel write and the
/// loop's wake-up), and the protocol around it. The writer's own loop stands in for the driver loop.
/// </remarks>
internal sealed class JournalTarget : IAppendTarget
{
    private readonly string _directory;
    private EntryJournal? _journal;
    private JournaledEntryLog[] _logs = [];
    private LoggedEntry[][] _batches = [];

    /// <param name="directory">An empty directory: the journal goes in <c>journal/</c>, each log's files in <c>logs/N/</c>.</param>
    public JournalTarget(string directory)
    {
        _directory = directory;
    }

    public string Name => "entry journal";

    public bool IsBlocking => false;

    public ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        _journal = EntryJournal.Open(new EntryJournalOptions { Directory = Path.Combine(_directory, "journal") });
        _logs = new JournaledEntryLog[writers];
        _batches = new LoggedEntry[writers][];
        for (int w = 0; w < writers; w++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _logs[w] = _journal.OpenLog(w, Path.Combine(_directory, "logs", w.ToString(CultureInfo.InvariantCulture)));
            _batches[w] = new LoggedEntry[1];
        }

        return ValueTask.CompletedTask;
    }

    // Pooled state machines: the harness's own async layer must not add an allocation per append to the journal's figure.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        JournaledEntryLog log = _logs[writer];

        // One array per writer: a writer has one append in flight, and the journal copies the payload into its buffer.
        LoggedEntry[] batch = _batches[writer];
        batch[0] = new LoggedEntry(log.EndLsn + 1, 1, payload);
        log.Append(batch);
        EntryLogSync sync = log.RequestSync();
        if (!sync.Completion.IsCompleted)
        {
            await sync.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        log.CompleteSync(sync);
    }

    public ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return ValueTask.FromResult<SyncCounters?>(null);
        }

        long syncs = _journal.Syncs;
        return ValueTask.FromResult<SyncCounters?>(new SyncCounters(_journal.RecordsAppended, syncs, syncs));
    }

    public ValueTask DisposeAsync()
    {
        foreach (JournaledEntryLog log in _logs)
        {
            log?.Dispose();
        }

        _journal?.Dispose();
        return ValueTask.CompletedTask;
    }
}
