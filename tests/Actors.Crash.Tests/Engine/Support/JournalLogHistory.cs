using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// Everything one log's owner asked of an entry journal, in its order, and when each was acknowledged: its records
/// (entries, truncations, resets), the syncs that acknowledged a prefix of them, its checkpoints and its entered epochs.
/// A crash image must hold the log as it was after some prefix of its records that contains every acknowledged one.
/// </summary>
/// <remarks>Written by the log's one owner during the run (the journal's sync thread only touches <see cref="PendingAck"/>); read after it.</remarks>
internal sealed class JournalLogHistory(int logId, string directory)
{
    private readonly List<HistoryRecord> _records = [];
    private readonly List<(int Op, int Records)> _acks = [];
    private readonly List<PendingAck> _pending = [];
    private readonly List<CheckpointEvent> _checkpoints = [];
    private readonly List<EpochEvent> _epochs = [];

    public int LogId => logId;

    public string Directory => directory;

    public int RecordCount => _records.Count;

    public int CheckpointCount => _checkpoints.Count;

    /// <summary>The last LSN after every record so far (what the open log's <c>EndLsn</c> must be).</summary>
    public long ModelEnd { get; private set; }

    public void Add(HistoryRecord record)
    {
        _records.Add(record);
        ModelEnd = record.Kind == HistoryRecordKind.Entry ? record.Lsn : record.Kind == HistoryRecordKind.Reset ? record.Lsn : Math.Min(ModelEnd, record.Lsn);
    }

    /// <summary>Every record so far is durable from disk operation count <paramref name="op"/> on (a call that syncs returned).</summary>
    public void AckAll(int op) => _acks.Add((op, _records.Count));

    public void Track(PendingAck pending) => _pending.Add(pending);

    public CheckpointEvent AddCheckpoint(EntryLogCheckpoint checkpoint, int? resetRecord, int op)
    {
        var added = new CheckpointEvent(checkpoint, resetRecord, op);
        _checkpoints.Add(added);
        return added;
    }

    public EpochEvent AddEpoch(long epoch, int op)
    {
        var added = new EpochEvent(epoch, op);
        _epochs.Add(added);
        return added;
    }

    /// <summary>After the run: the syncs the journal completed become acknowledgments.</summary>
    public int SealAcks()
    {
        var acked = 0;
        foreach (var pending in _pending)
        {
            if (pending.AckedAtOp is { } op)
            {
                _acks.Add((op, pending.Records));
                acked++;
            }
        }

        _pending.Clear();
        return acked;
    }

    /// <summary>
    /// What a power cut just before disk operation <paramref name="k"/> (operations 0..k-1 happened) may recover: at least
    /// the records acknowledged by then and at most those issued before; a checkpoint between the last acknowledged and the
    /// last begun (-1: none); an entered epoch between the last acknowledged and the last begun.
    /// </summary>
    public LogRequirement RequirementAt(int k)
    {
        var minRecords = _acks.Where(a => a.Op <= k).Select(a => a.Records).DefaultIfEmpty(0).Max();
        var maxRecords = _records.Count(r => r.IssuedAtOp < k);
        var minCheckpoint = _checkpoints.FindLastIndex(c => c.AckedAtOp <= k);
        var maxCheckpoint = _checkpoints.FindLastIndex(c => c.StartedAtOp < k);
        var minEpoch = _epochs.Where(e => e.AckedAtOp <= k).Select(e => e.Epoch).DefaultIfEmpty(0).Max();
        var maxEpoch = _epochs.Where(e => e.StartedAtOp < k).Select(e => e.Epoch).DefaultIfEmpty(0).Max();
        return new LogRequirement(minRecords, maxRecords, minCheckpoint, maxCheckpoint, minEpoch, maxEpoch);
    }

    /// <summary>Null when the recovered <paramref name="log"/> fits <paramref name="requirement"/>, else what differs.</summary>
    public string? Check(JournaledEntryLog log, LogRequirement requirement)
    {
        if (log.EnteredEpoch < requirement.MinEpoch || log.EnteredEpoch > requirement.MaxEpoch)
        {
            return $"entered epoch {log.EnteredEpoch}, but epoch {requirement.MinEpoch} was acknowledged durable and {requirement.MaxEpoch} the last begun (an epoch went backwards, or one never persisted appeared)";
        }

        var checkpoint = log.Checkpoint;
        var index = FindCheckpoint(checkpoint, requirement);
        if (index is null)
        {
            var acked = requirement.MinCheckpoint < 0 ? "none" : $"LSN {_checkpoints[requirement.MinCheckpoint].Checkpoint.Lsn}";
            return $"checkpoint at LSN {checkpoint.Lsn} (epoch {checkpoint.Epoch}) is not one written between the last acknowledged ({acked}) and the cut";
        }

        if (log.StartLsn != checkpoint.Lsn || log.EndLsn < log.StartLsn || log.DurableLsn != log.EndLsn)
        {
            return $"opened with start {log.StartLsn}, end {log.EndLsn} and durable {log.DurableLsn} over a checkpoint at LSN {checkpoint.Lsn}";
        }

        var entries = log.EndLsn > log.StartLsn ? log.Read(log.StartLsn + 1, int.MaxValue) : [];
        var minRecords = requirement.MinRecords;
        if (index.Value >= 0 && _checkpoints[index.Value].ResetRecord is { } reset)
        {
            // An install past its commit point: recovery finishes it, so the log is as after its reset record.
            minRecords = Math.Max(minRecords, reset + 1);
        }

        return Matches(checkpoint.Lsn, log.EndLsn, entries, minRecords, requirement.MaxRecords);
    }

    /// <summary>The index of the recovered checkpoint among those the requirement allows (-1: none), or null.</summary>
    private int? FindCheckpoint(EntryLogCheckpoint checkpoint, LogRequirement requirement)
    {
        if (checkpoint.Lsn == 0 && requirement.MinCheckpoint < 0 && checkpoint.State.IsEmpty)
        {
            return -1;
        }

        for (var i = Math.Max(0, requirement.MinCheckpoint); i <= requirement.MaxCheckpoint; i++)
        {
            var candidate = _checkpoints[i].Checkpoint;
            if (candidate.Lsn == checkpoint.Lsn && candidate.Epoch == checkpoint.Epoch && candidate.State.Span.SequenceEqual(checkpoint.State.Span))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// Null when the entries after <paramref name="start"/> up to <paramref name="end"/> are exactly the log's after some
    /// prefix of its records between <paramref name="minRecords"/> and <paramref name="maxRecords"/> (every entry in order,
    /// with its epoch and bytes; none a later record removed, none never appended), else why the acknowledged prefix differs.
    /// </summary>
    private string? Matches(long start, long end, IReadOnlyList<LoggedEntry> entries, int minRecords, int maxRecords)
    {
        var model = new List<HistoryRecord?>();
        long modelEnd = 0;
        string? first = null;
        for (var p = 0; p <= maxRecords; p++)
        {
            if (p >= minRecords)
            {
                var difference = Differs(model, modelEnd, start, end, entries);
                if (difference is null)
                {
                    return null;
                }

                first ??= $"after its {p} acknowledged records (of {maxRecords} issued) {difference}";
            }

            if (p == maxRecords)
            {
                break;
            }

            var record = _records[p];
            switch (record.Kind)
            {
                case HistoryRecordKind.Entry:
                    while (model.Count < record.Lsn)
                    {
                        model.Add(null);
                    }

                    model[(int)record.Lsn - 1] = record;
                    modelEnd = record.Lsn;
                    break;
                case HistoryRecordKind.Truncate:
                    modelEnd = Math.Min(modelEnd, record.Lsn);
                    break;
                case HistoryRecordKind.Reset:
                    for (var i = 0; i < model.Count; i++)
                    {
                        model[i] = null;
                    }

                    modelEnd = record.Lsn;
                    break;
            }
        }

        return first ?? $"fewer records were issued ({maxRecords}) than acknowledged ({minRecords})";
    }

    private static string? Differs(List<HistoryRecord?> model, long modelEnd, long start, long end, IReadOnlyList<LoggedEntry> entries)
    {
        if (end != modelEnd || modelEnd < start)
        {
            return $"the log ends at LSN {modelEnd}, but it was recovered ending at {end} (checkpoint at {start})";
        }

        foreach (var entry in entries)
        {
            var want = entry.Lsn <= model.Count ? model[(int)entry.Lsn - 1] : null;
            if (want is null || want.Epoch != entry.Epoch || !want.Payload.AsSpan().SequenceEqual(entry.Payload.Span))
            {
                return $"entry {entry.Lsn} should be {(want is null ? "none" : $"epoch {want.Epoch}, {want.Payload.Length} bytes")}, but it was recovered with epoch {entry.Epoch}, {entry.Payload.Length} bytes";
            }
        }

        return null;
    }
}
