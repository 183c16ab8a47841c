using Actors.Wal;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// Runs a <see cref="JournalPowerCutWorkload"/> on a simulated disk, then cuts the power just before every file fsync and
/// directory fsync it made (and after its last operation): for each cut, four crash images of what survived (only what was
/// durable; everything; a random prefix of each file's and directory's pending operations; all of them with the last
/// write torn), on each of which the journal and its logs are opened and checked against what had been acknowledged
/// (<see cref="JournalLogHistory.Check"/>); then each log takes its next entry at the next LSN, the power is cut again right
/// after that append was acknowledged, and the journal must reopen on what survived with each log as recovered plus the
/// new entry (recovery's own repairs are durable before it serves).
/// </summary>
internal sealed class JournalPowerCutRunner(int seed, int stepsPerPhase, int tearGranularity)
{
    private static readonly CrashVariant[] Variants = Enum.GetValues<CrashVariant>();
    private static readonly TimeSpan HangBound = TimeSpan.FromMinutes(2);
    private readonly EntryJournalOptions _options = JournalPowerCutWorkload.Options(seed);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public List<string> Failures { get; } = [];

    public int Cuts { get; private set; }

    public int StatesChecked { get; private set; }

    public int Recoveries { get; private set; }

    public IReadOnlyList<DiskOp> OperationLog { get; private set; } = [];

    public JournalPowerCutWorkload? Workload { get; private set; }

    public string Summary() => $"{Cuts} cuts x {Variants.Length} variants = {StatesChecked} crash states, {Recoveries} distinct ones recovered, "
        + $"{OperationLog.Count} disk operations; {Workload?.Summary}; {Failures.Count} failures";

    /// <summary>Runs the workload on a <see cref="PowerCutFileSystem"/> (<paramref name="wrap"/>: one that drops an fsync) and checks every cut.</summary>
    public async Task RunAsync(Func<CrashFileSystem, PowerCutFileSystem>? wrap = null)
    {
        var disk = new SimulatedDisk();
        JournalPowerCutWorkload.CreateDataDirectory(disk);
        var crashFileSystem = JournalPowerCutWorkload.FileSystem(disk);
        var fileSystem = wrap?.Invoke(crashFileSystem) ?? new PowerCutFileSystem(crashFileSystem);
        Workload = await JournalPowerCutWorkload.RunAsync(seed, _options, disk, fileSystem, stepsPerPhase);
        OperationLog = disk.Log;

        var results = ConcurrentChecks.Run(CrashStates(), state => Check(state.Image, state.Requirements) is { } failure ? $"seed {seed}, cut {state.At}, variant {state.Variant}: {failure}" : null);
        Failures.AddRange(results.OfType<string>());
    }

    /// <summary>The distinct crash states before every fsync and after the last operation, in order, from one replay with the seeded randomness.</summary>
    private IEnumerable<(string At, CrashVariant Variant, Dictionary<string, byte[]> Image, LogRequirement[] Requirements)> CrashStates()
    {
        var replay = new SimulatedDisk { Recording = false };
        var random = new Random(seed + 1);
        for (var k = 0; k <= OperationLog.Count; k++)
        {
            if (k > 0)
            {
                replay.Replay(OperationLog[k - 1]);
            }

            if (k < OperationLog.Count && OperationLog[k].Kind is not (DiskOpKind.Fsync or DiskOpKind.DirSync))
            {
                continue;
            }

            Cuts++;
            var requirements = Workload!.Histories.Select(h => h.RequirementAt(k)).ToArray();
            foreach (var variant in Variants)
            {
                StatesChecked++;
                var image = replay.CrashImage(variant, random, tearGranularity);
                if (!_seen.Add(Key(image, requirements)))
                {
                    continue;
                }

                Recoveries++;
                var at = k < OperationLog.Count ? $"before op {k} ({OperationLog[k]})" : "after the last op";
                yield return (at, variant, image, requirements);
            }
        }
    }

    private string? Check(Dictionary<string, byte[]> image, LogRequirement[] requirements)
    {
        var histories = Workload!.Histories;
        var crashFileSystem = JournalPowerCutWorkload.FileSystem(SimulatedDisk.FromImage(image, recording: true));
        var recovered = new LogState[histories.Count];
        var stage = "recovery";
        try
        {
            Dictionary<string, byte[]> afterSecondCut;
            using (var journal = EntryJournal.Open(_options, new PowerCutFileSystem(crashFileSystem)))
            {
                var logs = new JournaledEntryLog[histories.Count];
                try
                {
                    for (var i = 0; i < logs.Length; i++)
                    {
                        stage = $"the open of log {histories[i].LogId}";
                        logs[i] = journal.OpenLog(histories[i].LogId, histories[i].Directory);
                    }

                    for (var i = 0; i < logs.Length; i++)
                    {
                        if (histories[i].Check(logs[i], requirements[i]) is { } failure)
                        {
                            return $"log {histories[i].LogId}: {failure}";
                        }
                    }

                    for (var i = 0; i < logs.Length; i++)
                    {
                        stage = $"the append to log {histories[i].LogId} after recovery";
                        var log = logs[i];
                        var next = new LoggedEntry(log.EndLsn + 1, Math.Max(log.LastEpoch, log.EnteredEpoch), new byte[] { 0xEE, (byte)i });
                        log.Append(next);
                        var sync = log.RequestSync();
                        if (!sync.Completion.Wait(HangBound))
                        {
                            return $"log {histories[i].LogId}: the sync of entry {next.Lsn} after recovery did not complete within {HangBound}";
                        }

                        log.CompleteSync(sync);
                        if (log.DurableLsn != next.Lsn)
                        {
                            return $"log {histories[i].LogId}: after the sync of entry {next.Lsn} after recovery the log is durable up to {log.DurableLsn}";
                        }

                        recovered[i] = LogState.Of(log);
                    }

                    afterSecondCut = crashFileSystem.Disk.CrashImage(CrashVariant.DurableOnly, new Random(0));
                }
                finally
                {
                    foreach (var log in logs)
                    {
                        log?.Dispose();
                    }
                }
            }

            stage = "the open after a second power cut right after the appends acknowledged after recovery";
            using var again = EntryJournal.Open(_options, new PowerCutFileSystem(JournalPowerCutWorkload.FileSystem(SimulatedDisk.FromImage(afterSecondCut))));
            for (var i = 0; i < histories.Count; i++)
            {
                stage = $"the open of log {histories[i].LogId} after a second power cut";
                using var log = again.OpenLog(histories[i].LogId, histories[i].Directory);
                if (LogState.Of(log).Differs(recovered[i]) is { } difference)
                {
                    return $"log {histories[i].LogId} after a second power cut right after its post-recovery append: {difference}";
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is WalException or IOException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or AggregateException)
        {
            return $"{stage} threw {exception.GetType().Name}: {exception.Message}";
        }
    }

    private static string Key(Dictionary<string, byte[]> image, LogRequirement[] requirements)
        => ImageHash.Of(image).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + string.Join(";", requirements);

    /// <summary>What an open log holds: its checkpoint, every entry after it, and its entered epoch.</summary>
    private sealed record LogState(EntryLogCheckpoint Checkpoint, IReadOnlyList<LoggedEntry> Entries, long EnteredEpoch)
    {
        public static LogState Of(JournaledEntryLog log)
            => new(log.Checkpoint, log.EndLsn > log.StartLsn ? log.Read(log.StartLsn + 1, int.MaxValue) : [], log.EnteredEpoch);

        public string? Differs(LogState expected)
        {
            if (Checkpoint.Lsn != expected.Checkpoint.Lsn || Checkpoint.Epoch != expected.Checkpoint.Epoch || !Checkpoint.State.Span.SequenceEqual(expected.Checkpoint.State.Span))
            {
                return $"checkpoint at LSN {Checkpoint.Lsn} (epoch {Checkpoint.Epoch}), expected LSN {expected.Checkpoint.Lsn} (epoch {expected.Checkpoint.Epoch})";
            }

            if (EnteredEpoch != expected.EnteredEpoch)
            {
                return $"entered epoch {EnteredEpoch}, expected {expected.EnteredEpoch}";
            }

            if (Entries.Count != expected.Entries.Count)
            {
                return $"{Entries.Count} entries after the checkpoint, expected {expected.Entries.Count} (the last one appended after recovery)";
            }

            for (var k = 0; k < Entries.Count; k++)
            {
                var (got, want) = (Entries[k], expected.Entries[k]);
                if (got.Lsn != want.Lsn || got.Epoch != want.Epoch || !got.Payload.Span.SequenceEqual(want.Payload.Span))
                {
                    return $"entry {want.Lsn} changed (LSN {got.Lsn}, epoch {got.Epoch}, expected epoch {want.Epoch})";
                }
            }

            return null;
        }
    }
}
