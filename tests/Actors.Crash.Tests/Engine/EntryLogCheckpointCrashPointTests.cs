using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Entries;
using Xunit.Abstractions;

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
    private const string Directory = "/simulated/entries";
    private static readonly CrashVariant[] Variants = Enum.GetValues<CrashVariant>();

    [Theory]
    [InlineData(3)]
    [InlineData(29)]
    public void Recovery_CrashAtEveryBoundaryOfCheckpointsDeletionsAndInstalls_FindsTheStateBeforeOrAfterEachStep(int seed)
    {
        var disk = new SimulatedDisk();
        var fileSystem = new CrashFileSystem(disk);
        fileSystem.CreateDirectory(Directory);
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

        var operations = disk.Log;
        var replay = new SimulatedDisk { Recording = false };
        var imageRandom = new Random(seed + 1);
        var failures = new List<string>();
        for (var k = 0; k <= operations.Count; k++)
        {
            if (k > 0)
            {
                replay.Replay(operations[k - 1]);
            }

            var expectation = k < operations.Count ? expectations[k] : current;
            foreach (var variant in Variants)
            {
                if (Check(replay.CrashImage(variant, imageRandom), expectation) is { } failure)
                {
                    var at = k < operations.Count ? $"before op {k} ({operations[k]})" : "after the last op";
                    failures.Add($"seed {seed}, boundary {k} {at}, variant {variant}: {failure}");
                }
            }
        }

        output.WriteLine(
            $"seed {seed}: {operations.Count + 1} boundaries, {checkpoints} checkpoints, {segmentsDeleted} segments deleted, {installs} installs, {failures.Count} failures");
        Assert.True(checkpoints > 3 && segmentsDeleted > 2 && installs > 1,
            $"the workload must checkpoint, delete segments and install; checkpoints {checkpoints}, segments deleted {segmentsDeleted}, installs {installs}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static string? Check(Dictionary<string, byte[]> image, Expectation expected)
    {
        var fileSystem = new CrashFileSystem(SimulatedDisk.FromImage(image, recording: true));
        fileSystem.CreateDirectory(Directory);
        long endLsn;
        try
        {
            using var log = EntryLog.Open(Options(), fileSystem);
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

            if (log.EnteredEpoch < expected.MinEpoch || log.EnteredEpoch > expected.MaxEpoch)
            {
                return $"entered epoch {log.EnteredEpoch} outside [{expected.MinEpoch}, {expected.MaxEpoch}]";
            }

            endLsn = log.EndLsn;
            log.Append(new LoggedEntry(endLsn + 1, Math.Max(log.LastEpoch, log.EnteredEpoch), new byte[] { 7 }));
            log.Sync();
        }
        catch (WalException exception)
        {
            return $"recovery or the append after it threw {exception.GetType().Name}: {exception.Message}";
        }

        using var again = EntryLog.Open(Options(), fileSystem);
        return again.EndLsn == endLsn + 1 ? null : $"after the post-crash append the log reopened ending at {again.EndLsn}, expected {endLsn + 1}";
    }

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

    private static EntryLogOptions Options() => new() { Directory = Directory, SegmentSizeBytes = 32 + (5 * 48) };

    private static byte[] Payload(long counter, Random random)
    {
        var bytes = new byte[random.Next(8, 24)];
        random.NextBytes(bytes);
        BitConverter.TryWriteBytes(bytes, counter);
        return bytes;
    }

    /// <summary>One state the log may be found in: its checkpoint, every entry by LSN (null where a checkpoint replaced the history), and how many are synced.</summary>
    private sealed record Alternative(EntryLogCheckpoint Checkpoint, IReadOnlyList<LoggedEntry?> Model, long Durable);

    /// <summary>What any crash at a boundary may recover: one of the alternatives, and an entered epoch in range.</summary>
    private sealed record Expectation(IReadOnlyList<Alternative> Alternatives, long MinEpoch, long MaxEpoch);
}
