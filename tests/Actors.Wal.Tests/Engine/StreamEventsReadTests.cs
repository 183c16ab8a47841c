using System.Runtime.InteropServices;
using Actors.Wal.Tests.Support;
using Xunit.Abstractions;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// WriteAheadLog.ReadStreamEventsAsync: memory that does not grow with the events read, and the stream's records moved
/// or reclaimed while a read is under way.
/// </summary>
public sealed class StreamEventsReadTests(ITestOutputHelper output) : LogTestBase
{
    [Fact]
    public async Task ReadStreamEventsAsync_100kEventsOf1KiB_KeepsNoPayloadOfTheRecordsAlreadyRead()
    {
        const int Events = 100_000;
        const int Size = 1024;
        const int PerBatch = 50;
        await using var log = await OpenAsync(o =>
        {
            o.SegmentSizeBytes = 64L * 1024 * 1024;
            o.MaxRecordSizeBytes = 1024 * 1024;
            o.SyncPolicy = SyncPolicy.None;
        });
        var batch = new ReadOnlyMemory<byte>[PerBatch];
        for (int version = 1; version <= Events; version += PerBatch)
        {
            for (int i = 0; i < PerBatch; i++)
            {
                batch[i] = Payload(version + i, Size);
            }

            await log.AppendAsync("big", version - 1, batch);
        }

        // Every 1,000th payload is watched: once the read has moved to a later record, nothing may keep it alive.
        var watched = new List<(long Version, WeakReference Payload)>();
        long count = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int alive = -1;
        await foreach (var stored in log.ReadStreamEventsAsync("big"))
        {
            count++;
            Assert.Equal(count, stored.Version);
            Assert.True(stored.Payload.Span.SequenceEqual(Payload(stored.Version, Size).Span), $"payload of version {stored.Version}");
            if (stored.Version % 1000 == 0)
            {
                Assert.True(MemoryMarshal.TryGetArray(stored.Payload, out var segment));
                watched.Add((stored.Version, new WeakReference(segment.Array)));
            }

            if (stored.Version == Events)
            {
                // The read is still open here (its enumerator holds the last record): earlier records must be collectable.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                alive = watched.Count(w => w.Version <= Events - PerBatch && w.Payload.IsAlive);
            }
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(Events, count);
        Assert.Equal(0, alive);
        output.WriteLine($"read {count} events of {Size} B ({(long)Events * Size / 1048576} MiB of payloads); allocated {allocated / 1048576} MiB in the whole process meanwhile (the payloads are the caller's: one fresh buffer per record); payloads of {watched.Count - 1} earlier records all collected while the read was open");
    }

    [Fact]
    public async Task ReadStreamEventsAsync_RangeLongerThanOnePlan_PlansAgainAndYieldsEveryVersionOnce()
    {
        await using var log = await OpenAsync();
        log.ForwardReadPlanLimit = 4; // a plan keeps 4 to 8 records: 50 records need several plans
        for (int i = 0; i < 50; i++)
        {
            await log.AppendAsync("s", 2 * i, Events($"e{(2 * i) + 1}", $"e{(2 * i) + 2}"));
            await log.AppendAsync("other", i, Events("x"));
        }

        await log.WriteCheckpointAsync("s", 30, Bytes("state@30"));
        var seen = new List<string>();
        await foreach (var stored in log.ReadStreamEventsAsync("s", 3))
        {
            seen.Add(Text(stored.Payload));
            if (stored.Version == 40)
            {
                await log.AppendAsync("s", 100, Events("e101")); // after the read started: not part of it
            }
        }

        Assert.Equal(Enumerable.Range(3, 98).Select(v => $"e{v}"), seen);
    }

    [Fact]
    public async Task ReadStreamEventsAsync_CompactionMovesTheStreamDuringTheRead_ContinuesWithEveryVersionOnce()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5);
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, Events($"e{i + 1}"));
            await log.AppendAsync("filler", i, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("filler", 60, Bytes("filler@60"));
        var seen = new List<string>();
        long deletedBefore = log.GetStatistics().SegmentsDeleted;
        await foreach (var stored in log.ReadStreamEventsAsync("s"))
        {
            seen.Add(Text(stored.Payload));
            if (stored.Version == 1)
            {
                // The filler's segments are now mostly dead: compaction copies "s" forward and deletes them.
                await log.CompactAsync();
            }
        }

        // Counted by the log: a background space pass (requested at a rotation) may delete them before CompactAsync does.
        Assert.True(log.GetStatistics().SegmentsDeleted > deletedBefore, "precondition: the segments the read had planned were deleted");
        Assert.Equal(Enumerable.Range(1, 60).Select(v => $"e{v}"), seen);
    }

    [Fact]
    public async Task ReadStreamEventsAsync_StreamDeletedAndItsSegmentsReclaimedDuringTheRead_ThrowsEventsReclaimed()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        var seen = new List<long>();
        long deletedBefore = log.GetStatistics().SegmentsDeleted;
        var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () =>
        {
            await foreach (var stored in log.ReadStreamEventsAsync("s"))
            {
                seen.Add(stored.Version);
                if (stored.Version == 1)
                {
                    await log.DeleteStreamAsync("s", 60);
                    await log.AppendAsync("other", 0, Events("x"));
                    await log.CompactAsync();
                }
            }
        });

        // Counted by the log, not by this compaction: a background space pass (requested at a rotation) may delete them first.
        Assert.True(log.GetStatistics().SegmentsDeleted > deletedBefore, "precondition: the deleted stream's segments were reclaimed");
        Assert.Equal([1L], seen);
        Assert.Equal((2L, 61L), (reclaimed.RequestedFromVersion, reclaimed.OldestAvailableVersion));
    }

    [Fact]
    public async Task ReadStreamEventsAsync_LogClosedDuringTheRead_ThrowsObjectDisposed()
    {
        var log = await OpenAsync();
        for (int i = 0; i < 40; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        var seen = new List<long>();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var stored in log.ReadStreamEventsAsync("s"))
            {
                seen.Add(stored.Version);
                if (stored.Version == 1)
                {
                    await log.DisposeAsync();
                }
            }
        });

        Assert.Equal([1L], seen);
    }

    private static ReadOnlyMemory<byte> Payload(long version, int size)
    {
        var bytes = new byte[size];
        BitConverter.TryWriteBytes(bytes, version);
        bytes.AsSpan(8).Fill((byte)(version * 31));
        return bytes;
    }
}
