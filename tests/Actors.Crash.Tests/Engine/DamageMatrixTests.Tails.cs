using System.Buffers.Binary;
using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Format;

namespace Actors.Crash.Tests.Engine;

public sealed partial class DamageMatrixTests
{
    /// <summary>
    /// A crashed log cut at every byte of its last two records (a torn append). TolerateTornTail and Salvage must
    /// open, keep every record that ends before the cut and report the cut bytes; AbsoluteConsistency must refuse a
    /// cut inside a record. Also a tail overwritten with garbage and a zero-filled tail.
    /// </summary>
    [Fact]
    public async Task OpenAsync_TornTailAtEveryByteOfTheLastRecords_KeepsThePrefixAndReportsTheCut()
    {
        var data = await SmallAsync(clean: false);
        string name = data.SegmentNames.Single();
        byte[] pristine = data[name];
        var ends = RecordEnds(pristine);
        Assert.Equal(data.Workload.AllItems.Count, ends.Count);
        int cases = 0;
        for (long cut = ends[^3]; cut < pristine.Length; cut++)
        {
            long at = cut;
            bool inside = !ends.Contains(cut);
            foreach (var mode in Modes)
            {
                await CheckTailAsync(data, ends, $"cut at {at}", dir => Truncate(Path.Combine(dir, name), at), at, mode, inside);
                cases++;
            }
        }

        var random = new Random(9);
        foreach (bool zeros in new[] { false, true })
        {
            long start = ends[^2];
            byte[] tail = new byte[pristine.Length - start];
            if (!zeros)
            {
                random.NextBytes(tail);
            }

            foreach (var mode in Modes)
            {
                await CheckTailAsync(data, ends, zeros ? "zero-filled tail" : "garbage tail", dir => Overwrite(Path.Combine(dir, name), start, tail), start, mode, cutInsideRecord: !zeros);
                cases++;
            }
        }

        output.WriteLine($"{cases} torn-tail cases executed");
        AssertNoFailures();
    }

    private async Task CheckTailAsync(Dataset data, List<long> ends, string description, Action<string> damage, long validEnd, RecoveryMode mode, bool cutInsideRecord)
    {
        data.Restore(_dir.Path);
        damage(_dir.Path);
        _cases++;
        var items = data.Workload.AllItems;
        WriteAheadLog log;
        try
        {
            log = await WriteAheadLog.OpenAsync(DamageHarness.Options(_dir.Path, mode));
        }
        catch (LogCorruptedException) when (mode == RecoveryMode.AbsoluteConsistency && cutInsideRecord)
        {
            _outcomes[DamageOutcome.RefusedAtOpen] = _outcomes.GetValueOrDefault(DamageOutcome.RefusedAtOpen) + 1;
            return;
        }
        catch (Exception ex)
        {
            _failures.Add($"{description}, {mode}: open threw {ex.GetType().Name}: {ex.Message}");
            return;
        }

        try
        {
            if (mode == RecoveryMode.AbsoluteConsistency && cutInsideRecord)
            {
                _failures.Add($"{description}, {mode}: opened a log with a torn tail");
            }

            var recovery = log.GetStatistics().Recovery;
            if (cutInsideRecord && recovery.TruncatedBytes == 0)
            {
                _failures.Add($"{description}, {mode}: the cut was not reported");
            }

            bool Required(WorkItem item) => ends[IndexOf(items, item)] <= validEnd;
            string? problem = await data.Workload.CheckAsync(log, Required, []);
            if (problem is not null)
            {
                _failures.Add($"{description}, {mode}: {problem}");
            }

            var outcome = recovery.TruncatedBytes > 0 ? DamageOutcome.Reported : DamageOutcome.Exact;
            _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        }
        finally
        {
            await log.AbandonAsync();
        }
    }

    private static int IndexOf(IReadOnlyList<WorkItem> items, WorkItem item)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (ReferenceEquals(items[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The end offset of each record of a segment (seal records included when present).</summary>
    private static List<long> RecordEnds(byte[] segment)
    {
        var ends = new List<long>();
        long offset = SegmentHeader.Size;
        while (offset + 4 <= segment.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan((int)offset));
            if (length == 0)
            {
                break;
            }

            offset += length;
            ends.Add(offset);
        }

        return ends;
    }

    private static void Overwrite(string path, long offset, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(bytes);
    }
}
