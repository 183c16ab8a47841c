using System.Diagnostics;
using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;
using Xunit.Abstractions;
using static Actors.Crash.Tests.Engine.Support.EntryJournalCrashPoints;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// One <see cref="EntryJournal"/> shared by three logs (<see cref="JournaledEntryLog"/>), crashed at every persistence
/// boundary of a seeded workload of appends to any log, syncs, truncations across journal segments, epoch changes,
/// checkpoints (written at once, or begun, written and completed around other steps) with prefix deletions (which
/// delete journal segments), checkpoint installs, and reopens of a log or of the whole journal (recovery's own writes
/// and deletions are boundaries too), in every crash variant: recovery finds each log in a state it was in just before
/// or just after the operation at the boundary (its checkpoint one of the two, every entry synced before it, none a
/// completed truncation removed or an install replaced), its entered epoch in range, and every log accepts and keeps
/// its next entry.
/// </summary>
/// <remarks>
/// The workload syncs only with <see cref="JournaledEntryLog.Sync"/>: the test thread waits while the journal's sync
/// thread does its I/O, so the recorded operations are the same on every run of a seed and a failure replays exactly
/// (<see cref="Workload_SameSeedTwice_RecordsTheSameDiskOperations"/>). A sync of one log makes every record the journal
/// held before that log's last one durable (the journal keeps a prefix), so it raises the synced floor of every log.
/// </remarks>
[Trait("Category", "Crash")]
public sealed class EntryJournalCrashPointTests(ITestOutputHelper output)
{
    private const int Steps = 240;

    [Theory]
    [InlineData(2, EntryLogOptions.DefaultZeroFillAheadBytes, EntryJournalOptions.DefaultMaxBufferedBytes)]
    [InlineData(13, EntryLogOptions.DefaultZeroFillAheadBytes, EntryJournalOptions.DefaultMaxBufferedBytes)]
    [InlineData(31, EntryLogOptions.DefaultZeroFillAheadBytes, EntryJournalOptions.DefaultMaxBufferedBytes)]
    [InlineData(47, 0, EntryJournalOptions.DefaultMaxBufferedBytes)]
    [InlineData(58, 100, EntryJournalOptions.DefaultMaxBufferedBytes)]
    [InlineData(71, EntryLogOptions.DefaultZeroFillAheadBytes, 1)]
    public void Recovery_CrashAtEveryBoundaryOfThreeLogsInOneJournal_FindsEachLogBeforeOrAfterEachStep(int seed, long zeroFillAheadBytes, int maxBufferedBytes)
    {
        var clock = Stopwatch.StartNew();
        var options = Options(zeroFillAheadBytes, maxBufferedBytes);
        var run = JournalWorkload.Run(seed, options);
        var (failures, states, recovered) = EntryLogCrashPoints.CheckEveryDistinctState(
            run.Disk, run.Expectations, run.Final, seed, Logs.Count, (image, expected, order) => Check(image, expected, options, order));
        var boundaries = run.Disk.Log.Count + 1;
        output.WriteLine(
            $"seed {seed} (zero-fill ahead {zeroFillAheadBytes}, buffer {maxBufferedBytes}): {boundaries} boundaries, {states} crash states ({recovered} distinct recovered), {run.Syncs} journal fsyncs, "
            + $"{run.Truncations} truncations ({run.TruncationsAcrossSegments} across segments), {run.Checkpoints} checkpoints, "
            + $"{run.SegmentsDeleted} segments deleted, {run.Installs} installs, {run.EpochChanges} epoch changes, {run.Reopens} reopens, {failures.Count} failures, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(
            run.TruncationsAcrossSegments > 3 && run.Checkpoints > 5 && run.SegmentsDeleted > 5 && run.Installs > 1 && run.EpochChanges > 1,
            $"the workload must truncate across segments, checkpoint, delete segments, install and change epochs; truncations across segments {run.TruncationsAcrossSegments}, "
            + $"checkpoints {run.Checkpoints}, segments deleted {run.SegmentsDeleted}, installs {run.Installs}, epoch changes {run.EpochChanges}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    [Theory]
    [InlineData(2, EntryLogOptions.DefaultZeroFillAheadBytes, EntryJournalOptions.DefaultMaxBufferedBytes)]
    [InlineData(47, 0, EntryJournalOptions.DefaultMaxBufferedBytes)]
    [InlineData(71, EntryLogOptions.DefaultZeroFillAheadBytes, 1)]
    public void Workload_SameSeedTwice_RecordsTheSameDiskOperations(int seed, long zeroFillAheadBytes, int maxBufferedBytes)
    {
        var first = JournalWorkload.Run(seed, Options(zeroFillAheadBytes, maxBufferedBytes)).Disk.Log;
        var second = JournalWorkload.Run(seed, Options(zeroFillAheadBytes, maxBufferedBytes)).Disk.Log;

        Assert.Equal(first.Count, second.Count);
        for (var k = 0; k < first.Count; k++)
        {
            var (a, b) = (first[k], second[k]);
            Assert.True(
                a.Kind == b.Kind && a.Path == b.Path && a.Destination == b.Destination && a.Offset == b.Offset
                    && (a.Data ?? []).AsSpan().SequenceEqual(b.Data ?? []),
                $"seed {seed}: operation {k} is '{a}' on the first run and '{b}' on the second");
        }
    }

    private static string? Check(Dictionary<string, byte[]> image, IReadOnlyList<LogExpectation> expected, EntryJournalOptions options, int rotation)
        => RecoverInspectAndAppend(image, options, rotation, (i, log) => CheckLog(log, expected[i]));

    private static string? CheckLog(JournaledEntryLog log, LogExpectation expected)
    {
        var checkpoint = log.Checkpoint;
        var matching = expected.Alternatives
            .Where(a => a.Checkpoint.Lsn == checkpoint.Lsn && a.Checkpoint.Epoch == checkpoint.Epoch
                && a.Checkpoint.State.Span.SequenceEqual(checkpoint.State.Span))
            .ToArray();
        if (matching.Length == 0)
        {
            return $"recovered checkpoint at LSN {checkpoint.Lsn} (epoch {checkpoint.Epoch}) is none of the "
                + string.Join(" or ", expected.Alternatives.Select(a => $"LSN {a.Checkpoint.Lsn} (epoch {a.Checkpoint.Epoch})")) + " in force around the crash";
        }

        if (log.StartLsn != checkpoint.Lsn || log.EndLsn < log.StartLsn || log.DurableLsn != log.EndLsn)
        {
            return $"opened with start {log.StartLsn}, end {log.EndLsn} and durable {log.DurableLsn} over a checkpoint at LSN {checkpoint.Lsn}";
        }

        var entries = log.EndLsn > log.StartLsn ? log.Read(log.StartLsn + 1, int.MaxValue) : [];
        if (entries.Count != log.EndLsn - log.StartLsn)
        {
            return $"read {entries.Count} entries after LSN {log.StartLsn} of a log ending at {log.EndLsn}";
        }

        var outcomes = matching.Select(a => Compare(a, log.StartLsn, entries)).ToArray();
        if (outcomes.All(o => o is not null))
        {
            return outcomes[0];
        }

        var lastEpoch = entries.Count > 0 ? entries[^1].Epoch : checkpoint.Epoch;
        if (log.LastEpoch != lastEpoch)
        {
            return $"last epoch {log.LastEpoch}, but the last entry (or the checkpoint) has epoch {lastEpoch}";
        }

        return EntryLogCrashPoints.CheckEpoch(log, expected.MinEpoch, expected.MaxEpoch);
    }

    /// <summary>Null when <paramref name="entries"/> (from <paramref name="start"/> + 1) fit <paramref name="alternative"/>: at least its synced entries, none it does not hold.</summary>
    private static string? Compare(Alternative alternative, long start, IReadOnlyList<LoggedEntry> entries)
    {
        var end = start + entries.Count;
        if (end < alternative.Durable)
        {
            return $"recovered entries up to LSN {end} but {alternative.Durable} were synced";
        }

        if (end > Math.Max(alternative.Model.Count, start))
        {
            return $"recovered entries up to LSN {end}, beyond the {alternative.Model.Count} the log may hold (a truncated or replaced entry came back)";
        }

        foreach (var entry in entries)
        {
            var want = alternative.Model[(int)entry.Lsn - 1];
            if (want is null || entry.Epoch != want.Value.Epoch || !entry.Payload.Span.SequenceEqual(want.Value.Payload.Span))
            {
                return $"entry {entry.Lsn} (epoch {entry.Epoch}) is not the one the log holds there (a truncated or replaced entry came back)";
            }
        }

        return null;
    }

    /// <summary>One state a log may be found in: its checkpoint, every entry by LSN (null where a checkpoint replaced the history), and up to which LSN it is synced.</summary>
    private sealed record Alternative(EntryLogCheckpoint Checkpoint, IReadOnlyList<LoggedEntry?> Model, long Durable);

    /// <summary>What any crash at a boundary may recover of one log: one of the alternatives, and an entered epoch in range.</summary>
    private sealed record LogExpectation(IReadOnlyList<Alternative> Alternatives, long MinEpoch, long MaxEpoch);

    /// <summary>
    /// The seeded workload over one journal and <see cref="EntryJournalCrashPoints.Logs"/>, recorded on a simulated disk
    /// with, before every operation, what each log may be recovered as if the crash came there.
    /// </summary>
    private sealed class JournalWorkload
    {
        private readonly Random _random;
        private readonly SimulatedDisk _disk = new();
        private readonly List<LogExpectation[]> _expectations = [];
        private readonly LogModel[] _models;
        private readonly EntryJournalOptions _options;
        private readonly CrashFileSystem _fileSystem;
        private EntryJournal? _journal;
        private JournaledEntryLog[] _logs = [];
        private LogExpectation[] _current;
        private long _records;
        private long _durableRecord = -1;
        private long _payloads;

        private JournalWorkload(int seed, EntryJournalOptions options)
        {
            _random = new Random(seed);
            _options = options;
            _fileSystem = FileSystem(_disk);
            _models = Logs.Select(_ => new LogModel()).ToArray();
            _current = _models.Select(m => m.Expected).ToArray();
            _disk.BeforeOperation = _ => _expectations.Add(_current);
        }

        public SimulatedDisk Disk => _disk;

        public IReadOnlyList<LogExpectation[]> Expectations => _expectations;

        public LogExpectation[] Final => _current;

        public long Syncs { get; private set; }

        public int Truncations { get; private set; }

        public int TruncationsAcrossSegments { get; private set; }

        public int Checkpoints { get; private set; }

        public int SegmentsDeleted { get; private set; }

        public int Installs { get; private set; }

        public int EpochChanges { get; private set; }

        public int Reopens { get; private set; }

        public static JournalWorkload Run(int seed, EntryJournalOptions options)
        {
            var workload = new JournalWorkload(seed, options);
            workload.Run();
            return workload;
        }

        private void Run()
        {
            Open();
            try
            {
                for (var step = 0; step < Steps; step++)
                {
                    try
                    {
                        Step(_random.Next(_logs.Length), _random.Next(32));
                    }
                    catch (WalException exception)
                    {
                        throw new InvalidOperationException($"the workload failed at step {step}, before any crash: {exception.Message}", exception);
                    }
                }
            }
            finally
            {
                Close();
            }
        }

        /// <summary>One step on log <paramref name="i"/>: <paramref name="choice"/> (0..31) an operation on it, a reopen of it, or a reopen of the journal.</summary>
        private void Step(int i, int choice)
        {
            if (choice < 30)
            {
                LogStep(_logs[i], _models[i], choice);
            }
            else if (choice < 31)
            {
                // The log closed and opened again on the same journal: it continues from the journal's index.
                _logs[i].Dispose();
                var segments = _journal!.SegmentCount;
                _logs[i] = _journal.OpenLog(Logs[i].Id, Logs[i].Directory);
                SegmentsDeleted += segments - _journal.SegmentCount;
                Synced(_models[i].LastRecord);
                Reopens++;
            }
            else
            {
                // The journal closed (its buffer written, not synced) and recovered from its files, every log opened again.
                Close();
                Open();
                Synced(_records);
                Reopens++;
            }
        }

        private void Open()
        {
            _journal = EntryJournal.Open(_options, _fileSystem);
            var segments = _journal.SegmentCount;
            _logs = Logs.Select(l => _journal.OpenLog(l.Id, l.Directory)).ToArray();
            SegmentsDeleted += segments - _journal.SegmentCount;
        }

        /// <summary>Closes every log and the journal (if open: a reopen may have failed part-way; closing a log twice does nothing).</summary>
        private void Close()
        {
            foreach (var log in _logs)
            {
                log.Dispose();
            }

            if (_journal is not null)
            {
                Syncs += _journal.Syncs;
                _journal.Dispose();
                _journal = null;
            }
        }

        /// <summary>One operation on one log: <paramref name="choice"/> (0..29) weighs appends 14, syncs 4, truncations 4, checkpoints 4, prefix deletions, installs 1 each, epoch changes 2.</summary>
        private void LogStep(JournaledEntryLog log, LogModel m, int choice)
        {
            if (choice < 14)
            {
                Append(log, m);
            }
            else if (choice < 18)
            {
                log.Sync();
                Synced(m.LastRecord);
            }
            else if (choice < 22)
            {
                Truncate(log, m);
            }
            else if (choice < 26)
            {
                Checkpoint(log, m);
            }
            else if (choice < 27)
            {
                SegmentsDeleted += log.DeletePrefix(m.State.Checkpoint.Lsn);
            }
            else if (choice < 28)
            {
                Install(log, m);
            }
            else
            {
                m.MaxEpoch = m.Epoch + 1;
                Publish(m);
                log.PersistEpoch(m.Epoch + 1);
                m.Epoch++;
                m.MinEpoch = m.Epoch;
                Publish(m);
                EpochChanges++;
            }
        }

        /// <summary>One to four entries at the log's epoch, in one batch or one call each.</summary>
        private void Append(JournaledEntryLog log, LogModel m)
        {
            var model = m.State.Model;
            var fresh = Enumerable.Range(0, _random.Next(1, 5))
                .Select(k => new LoggedEntry(model.Count + k + 1, m.Epoch, EntryLogCrashPoints.Payload(++_payloads, _random)))
                .ToArray();
            m.State = m.State with { Model = [.. model, .. fresh] };
            Publish(m);
            var batches = _random.Next(2) == 0 ? [fresh] : fresh.Select(e => new[] { e }).ToArray();
            foreach (var batch in batches)
            {
                var segmentBefore = NewestSegment(_disk);
                log.Append(batch);
                var segmentAfter = NewestSegment(_disk);

                // A batch that started a segment may lie in two: its entries' segment is then unknown.
                foreach (var _ in batch)
                {
                    m.Records.Add(new RecordTag(++_records, segmentBefore == segmentAfter ? segmentAfter : null));
                }
            }

            m.LastRecord = _records;
        }

        /// <summary>Up to twelve entries back (not below the checkpoint): usually across a journal segment boundary, as three logs share the segments.</summary>
        private void Truncate(JournaledEntryLog log, LogModel m)
        {
            var state = m.State;
            var model = state.Model;
            var target = _random.Next((int)Math.Max(state.Checkpoint.Lsn, model.Count - 12), model.Count + 1);
            Publish(m, [state with { Durable = Math.Min(state.Durable, target) }]);
            log.TruncateAfter(target);
            if (target < model.Count)
            {
                Truncations++;
                var segments = m.Records.Skip(Math.Max(0, target - 1)).Select(r => r.Segment).ToArray();
                TruncationsAcrossSegments += segments.Where(s => s is not null).Distinct().Count() > 1 ? 1 : 0;
                m.Records.RemoveRange(target, m.Records.Count - target);
                m.LastRecord = ++_records;
            }

            m.State = new Alternative(state.Checkpoint, model.Take(target).ToArray(), target);
            Publish(m);
            Synced(m.LastRecord);
        }

        /// <summary>
        /// A checkpoint at a synced LSN after the current one: written at once, or in steps with an append before the
        /// write and a sync (or, rarely, an install, which the pending checkpoint then does not override) before its
        /// completion; then usually the prefix it covers deleted.
        /// </summary>
        private void Checkpoint(JournaledEntryLog log, LogModel m)
        {
            var state = m.State;
            var start = state.Checkpoint.Lsn;
            if (log.DurableLsn <= start)
            {
                return;
            }

            var lsn = _random.NextInt64(start + 1, log.DurableLsn + 1);
            var checkpoint = new EntryLogCheckpoint(lsn, state.Model[(int)lsn - 1]!.Value.Epoch, EntryLogCrashPoints.Payload(++_payloads, _random));
            Checkpoints++;
            if (_random.Next(2) == 0)
            {
                Publish(m, [state, state with { Checkpoint = checkpoint }]);
                log.WriteCheckpoint(checkpoint);
                m.State = state with { Checkpoint = checkpoint };
                Publish(m);
            }
            else
            {
                var pending = log.BeginCheckpoint(checkpoint);
                Append(log, m);
                Publish(m, [m.State, m.State with { Checkpoint = checkpoint }]);
                pending.Write();

                // Written: a crash from here on finds it, though the log puts it in force only on completion.
                m.State = m.State with { Checkpoint = checkpoint };
                Publish(m);
                if (_random.Next(4) == 0)
                {
                    Install(log, m);
                }
                else
                {
                    log.Sync();
                    Synced(m.LastRecord);
                }

                log.CompleteCheckpoint(pending);
                if (log.Checkpoint.Lsn != m.State.Checkpoint.Lsn)
                {
                    throw new InvalidOperationException($"log {log.LogId}: checkpoint {log.Checkpoint.Lsn} in force after the completion, the model has {m.State.Checkpoint.Lsn}");
                }
            }

            if (_random.Next(4) > 0)
            {
                // Deleting the prefix changes nothing a reader sees: the same state before, during and after.
                SegmentsDeleted += log.DeletePrefix(m.State.Checkpoint.Lsn);
            }
        }

        /// <summary>A checkpoint from elsewhere replacing the log, a few LSNs around its end (never below its checkpoint).</summary>
        private void Install(JournaledEntryLog log, LogModel m)
        {
            var state = m.State;
            var lsn = Math.Max(Math.Max(state.Checkpoint.Lsn, 1), state.Model.Count + _random.Next(-3, 6));
            var checkpoint = new EntryLogCheckpoint(lsn, m.Epoch, EntryLogCrashPoints.Payload(++_payloads, _random));
            var installed = new Alternative(checkpoint, new LoggedEntry?[lsn], lsn);
            Publish(m, [state, installed]);
            log.InstallCheckpoint(checkpoint);
            m.Records.Clear();
            m.Records.AddRange(Enumerable.Repeat(new RecordTag(-1, null), (int)lsn));
            m.LastRecord = ++_records;
            m.State = installed;
            Publish(m);
            Synced(m.LastRecord);
            Installs++;
        }

        /// <summary>Every record up to <paramref name="record"/> is durable (the journal keeps a prefix): each log's synced floor rises to its last entry among them.</summary>
        private void Synced(long record)
        {
            _durableRecord = Math.Max(_durableRecord, record);
            foreach (var m in _models)
            {
                var durable = m.Records.FindLastIndex(r => r.Number <= _durableRecord) + 1;
                if (durable > m.State.Durable)
                {
                    m.State = m.State with { Durable = durable };
                    Publish(m);
                }
            }
        }

        /// <summary>Publishes <paramref name="m"/>'s state as the only one it may be recovered in.</summary>
        private void Publish(LogModel m) => Publish(m, [m.State]);

        /// <summary>What a crash from now on may recover of <paramref name="m"/> (the other logs as they were).</summary>
        private void Publish(LogModel m, IReadOnlyList<Alternative> alternatives)
        {
            m.Expected = new LogExpectation(alternatives, m.MinEpoch, m.MaxEpoch);
            _current = _models.Select(x => x.Expected).ToArray();
        }
    }

    /// <summary>The journal record of an entry the model holds: its number in append order (-1 where a checkpoint replaced the entries) and the segment it went to (null when unknown).</summary>
    private readonly record struct RecordTag(long Number, string? Segment);

    /// <summary>The workload's view of one log: its state, its epochs, and the journal records of its entries (by LSN - 1).</summary>
    private sealed class LogModel
    {
        public Alternative State { get; set; } = new(EntryLogCheckpoint.None, [], 0);

        public LogExpectation Expected { get; set; } = new([new(EntryLogCheckpoint.None, [], 0)], 0, 0);

        public List<RecordTag> Records { get; } = [];

        public long LastRecord { get; set; } = -1;

        public long Epoch { get; set; }

        public long MinEpoch { get; set; }

        public long MaxEpoch { get; set; }
    }
}
