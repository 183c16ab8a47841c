using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Entries;
using Xunit.Abstractions;
using static Actors.Crash.Tests.Engine.Support.EntryLogCrashPoints;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// The replication entry log (<see cref="EntryLog"/>) crashed at every persistence boundary of a workload of appends,
/// syncs, truncations across segments and epoch changes, in every crash variant: recovery keeps every synced entry,
/// never brings back an entry a completed truncation removed, keeps the entered epoch, and accepts the next append.
/// </summary>
[Trait("Category", "Crash")]
public sealed class EntryLogCrashPointTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(41)]
    public void Recovery_CrashAtEveryBoundary_KeepsSyncedEntriesAndNeverResurrectsTruncatedOnes(int seed)
    {
        var disk = new SimulatedDisk();
        var fileSystem = FileSystem(disk);
        var expectations = new List<Expectation>();
        var current = new Expectation([], 0, 0, 0);
        disk.BeforeOperation = _ => expectations.Add(current);
        var random = new Random(seed);
        var truncations = 0;
        var segmentDeletions = 0;
        using (var log = EntryLog.Open(Options(), fileSystem))
        {
            var model = new List<LoggedEntry>();
            long durable = 0, epoch = 0, payloadCounter = 0;
            for (var step = 0; step < 90; step++)
            {
                var choice = random.Next(10);
                if (choice < 5)
                {
                    var fresh = Enumerable.Range(0, random.Next(1, 5))
                        .Select(i => new LoggedEntry(model.Count + i + 1, epoch, Payload(++payloadCounter, random)))
                        .ToArray();
                    model.AddRange(fresh);
                    current = current with { Model = [.. model] };
                    log.Append(fresh);
                }
                else if (choice < 7)
                {
                    log.Sync();
                    durable = model.Count;
                    current = current with { Durable = durable };
                }
                else if (choice < 9)
                {
                    var target = random.Next(Math.Max(0, model.Count - 12), model.Count + 1);
                    current = current with { Durable = Math.Min(durable, target) };
                    var segmentsBefore = log.SegmentCount;
                    log.TruncateAfter(target);
                    segmentDeletions += segmentsBefore - log.SegmentCount;
                    truncations += target < model.Count ? 1 : 0;
                    model.RemoveRange(target, model.Count - target);
                    durable = target;
                    current = current with { Model = [.. model], Durable = durable };
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

        var (failures, states) = CheckEveryBoundary(disk, expectations, current, seed, Check);
        int boundaries = disk.Log.Count + 1;
        output.WriteLine($"seed {seed}: {boundaries} boundaries, {states} crash states, {truncations} truncations deleting {segmentDeletions} segments, {failures.Count} failures");
        Assert.True(truncations > 5 && segmentDeletions > 2, $"the workload must truncate across segments; truncations {truncations}, segments deleted {segmentDeletions}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static string? Check(Dictionary<string, byte[]> image, Expectation expected)
        => RecoverInspectAndAppend(image, log =>
        {
            var entries = log.Read(1, int.MaxValue);
            if (entries.Count < expected.Durable)
            {
                return $"recovered {entries.Count} entries but {expected.Durable} were synced";
            }

            if (entries.Count > expected.Model.Count)
            {
                return $"recovered {entries.Count} entries, more than the {expected.Model.Count} the log may hold (a truncated tail came back)";
            }

            for (var i = 0; i < entries.Count; i++)
            {
                var want = expected.Model[i];
                if (entries[i].Epoch != want.Epoch || !entries[i].Payload.Span.SequenceEqual(want.Payload.Span))
                {
                    return $"entry {i + 1} is not the one the log holds (epoch {entries[i].Epoch}, expected {want.Epoch}): a truncated entry came back";
                }
            }

            return CheckEpoch(log, expected.MinEpoch, expected.MaxEpoch);
        });

    /// <summary>What any crash at a boundary may recover: a prefix of <paramref name="Model"/> at least <paramref name="Durable"/> long, and an epoch in range.</summary>
    private sealed record Expectation(IReadOnlyList<LoggedEntry> Model, long Durable, long MinEpoch, long MaxEpoch);
}
