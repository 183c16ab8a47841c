using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Entries;
using Xunit.Abstractions;
using static Actors.Crash.Tests.Engine.Support.EntryLogCrashPoints;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// The replication entry log (<see cref="EntryLog"/>) with checkpoints, crashed at every persistence boundary of a
/// workload of appends, syncs, truncations, checkpoint writes, prefix deletions and checkpoint installs, in every crash
/// variant: recovery finds either the checkpoint in force before the operation or the one after it, never entries a
/// checkpoint does not cover missing, never a mix of an installed checkpoint and the log it replaced, every synced entry
/// after its checkpoint, and accepts the next append.
/// </summary>
[Trait("Category", "Crash")]
public sealed class EntryLogCheckpointCrashPointTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3)]
    [InlineData(29)]
    public void Recovery_CrashAtEveryBoundaryOfCheckpointsDeletionsAndInstalls_FindsTheStateBeforeOrAfterEachStep(int seed)
    {
        var disk = new SimulatedDisk();
        var fileSystem = FileSystem(disk);
        var expectations = new List<Expectation>();
        var state = new Alternative(EntryLogCheckpoint.None, [], 0);
        var current = new Expectation([state], 0, 0);
        disk.BeforeOperation = _ => expectations.Add(current);
        var random = new Random(seed);
        int checkpoints = 0, segmentsDeleted = 0, installs = 0;
        long epoch = 0, counter = 0;
        using (var log = EntryLog.Open(Options(), fileSystem))
        {
            for (var step = 0; step < 110; step++)
            {
                var choice = random.Next(20);
                var model = state.Model;
                var start = state.Checkpoint.Lsn;
                if (choice < 9)
                {
                    var fresh = Enumerable.Range(0, random.Next(1, 5))
                        .Select(i => new LoggedEntry(model.Count + i + 1, epoch, Payload(++counter, random)))
                        .ToArray();
                    state = state with { Model = [.. model, .. fresh] };
                    current = current with { Alternatives = [state] };
                    log.Append(fresh);
                }
                else if (choice < 12)
                {
                    log.Sync();
                    state = state with { Durable = model.Count };
                    current = current with { Alternatives = [state] };
                }
                else if (choice < 13)
                {
                    var target = random.Next((int)Math.Max(start, model.Count - 8), model.Count + 1);
                    current = current with { Alternatives = [state with { Durable = Math.Min(state.Durable, target) }] };
                    log.TruncateAfter(target);
                    state = new Alternative(state.Checkpoint, model.Take(target).ToArray(), target);
                    current = current with { Alternatives = [state] };
                }
                else if (choice < 16 && state.Durable > start)
                {
                    var lsn = random.NextInt64(start + 1, state.Durable + 1);
                    var checkpoint = new EntryLogCheckpoint(lsn, model[(int)lsn - 1]!.Value.Epoch, Payload(++counter, random));
                    var next = state with { Checkpoint = checkpoint };
                    current = current with { Alternatives = [state, next] };
                    log.WriteCheckpoint(checkpoint);
                    state = next;
                    current = current with { Alternatives = [state] };
                    checkpoints++;
                }
                else if (choice < 18)
                {
                    // Deleting the prefix changes nothing a reader sees: the same state before, during and after.
                    segmentsDeleted += log.DeletePrefix(start);
                }
                else if (choice < 19)
                {
                    var lsn = Math.Max(Math.Max(start, 1), model.Count + random.Next(-3, 6));
                    var checkpoint = new EntryLogCheckpoint(lsn, epoch, Payload(++counter, random));
                    var installed = new Alternative(checkpoint, new LoggedEntry?[lsn], lsn);
                    current = current with { Alternatives = [state, installed] };
                    log.InstallCheckpoint(checkpoint);
                    state = installed;
                    current = current with { Alternatives = [state] };
                    installs++;
                }
                else
                {
                    current = current with { MaxEpoch = epoch + 1 };
                    log.PersistEpoch(epoch + 1);
                    epoch++;
                    current = current with { MinEpoch = epoch };
                }
            }
        }

        var (failures, _) = CheckEveryBoundary(disk, expectations, current, seed, Check);
        int boundaries = disk.Log.Count + 1;
        output.WriteLine(
            $"seed {seed}: {boundaries} boundaries, {checkpoints} checkpoints, {segmentsDeleted} segments deleted, {installs} installs, {failures.Count} failures");
        Assert.True(checkpoints > 3 && segmentsDeleted > 2 && installs > 1,
            $"the workload must checkpoint, delete segments and install; checkpoints {checkpoints}, segments deleted {segmentsDeleted}, installs {installs}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static string? Check(Dictionary<string, byte[]> image, Expectation expected)
        => RecoverInspectAndAppend(image, log =>
        {
            var checkpoint = log.Checkpoint;
            var matching = expected.Alternatives
                .Where(a => a.Checkpoint.Lsn == checkpoint.Lsn && a.Checkpoint.Epoch == checkpoint.Epoch
                    && a.Checkpoint.State.Span.SequenceEqual(checkpoint.State.Span))
                .ToArray();
            if (matching.Length == 0)
            {
                return $"recovered checkpoint at LSN {checkpoint.Lsn} (epoch {checkpoint.Epoch}) is none of the "
                    + string.Join(" or ", expected.Alternatives.Select(a => $"LSN {a.Checkpoint.Lsn}")) + " in force around the crash";
            }

            var entries = log.Read(log.StartLsn + 1, int.MaxValue);
            if (matching.Select(a => Compare(a, log.StartLsn, entries)).ToArray() is var outcomes && outcomes.All(o => o is not null))
            {
                return outcomes[0];
            }

            return CheckEpoch(log, expected.MinEpoch, expected.MaxEpoch);
        });

    /// <summary>Null when <paramref name="entries"/> (from <paramref name="start"/> + 1) fit <paramref name="alternative"/>: at least its durable entries, none it never held.</summary>
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
                return $"entry {entry.Lsn} is not the one the log holds there (a truncated or replaced entry came back)";
            }
        }

        return null;
    }

    /// <summary>One state the log may be found in: its checkpoint, every entry by LSN (null where a checkpoint replaced the history), and how many are synced.</summary>
    private sealed record Alternative(EntryLogCheckpoint Checkpoint, IReadOnlyList<LoggedEntry?> Model, long Durable);

    /// <summary>What any crash at a boundary may recover: one of the alternatives, and an entered epoch in range.</summary>
    private sealed record Expectation(IReadOnlyList<Alternative> Alternatives, long MinEpoch, long MaxEpoch);
}
