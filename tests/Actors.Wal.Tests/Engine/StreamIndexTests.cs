using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Tests.Engine;

public sealed class StreamIndexTests
{
    [Fact]
    public void TryFind_HashCollisionInHotTier_KeepsBothStreamsApart()
    {
        var index = new StreamIndex();
        index.AddHot(new HotStream("a", StreamEntry.CreateNew(12345) with { Version = 1 }, -1));
        index.AddHot(new HotStream("b", StreamEntry.CreateNew(12345) with { Version = 2 }, -1));

        Assert.True(index.TryFind("a", 12345, NeverOnDisk, out var a, out _, out _));
        Assert.True(index.TryFind("b", 12345, NeverOnDisk, out var b, out _, out _));
        Assert.Equal((1, 2), (a.Version, b.Version));
        Assert.False(index.TryFind("c", 12345, NeverOnDisk, out _, out _, out _));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void TryFind_IdleCollision_VerifiesAgainstDiskAndFindsOnlyTheMatch()
    {
        var index = IndexWithIdleCollision();
        int diskReads = 0;
        bool OnDisk(long position, string id)
        {
            diskReads++;
            return id == "x" && position == LogPosition.Create(1, 128);
        }

        Assert.True(index.TryFind("x", 7, OnDisk, out var found, out var hot, out int slot));
        Assert.Equal(20, found.Version);
        Assert.Null(hot);
        Assert.True(slot >= 0);
        Assert.True(diskReads > 0);
        Assert.False(index.TryFind("y", 7, OnDisk, out _, out _, out _));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void TryFind_KnownPositionOfAnIdleCollision_TakesThatCandidateWithoutADiskRead()
    {
        var index = IndexWithIdleCollision();
        var reads = new List<long>();
        bool OnDisk(long position, string id)
        {
            reads.Add(position);
            return id == "x" && position == LogPosition.Create(1, 64);
        }

        // The caller read "x"'s latest record at 1:64: that candidate is taken as it is, without a read.
        Assert.True(index.TryFind("x", 7, LogPosition.Create(1, 64), OnDisk, out var known, out _, out int knownSlot));
        Assert.Equal(10, known.Version);
        Assert.DoesNotContain(LogPosition.Create(1, 64), reads);

        // The same when the known candidate is not the first of the collision: the others are read, it is not.
        reads.Clear();
        Assert.True(index.TryFind("y", 7, LogPosition.Create(1, 128), OnDisk, out var second, out _, out int secondSlot));
        Assert.Equal(20, second.Version);
        Assert.NotEqual(knownSlot, secondSlot);
        Assert.DoesNotContain(LogPosition.Create(1, 128), reads);

        // A known position no candidate holds (the stream changed since), or none: every candidate is verified on disk.
        reads.Clear();
        Assert.True(index.TryFind("x", 7, LogPosition.Create(2, 64), OnDisk, out var verified, out _, out _));
        Assert.Equal(10, verified.Version);
        Assert.Contains(LogPosition.Create(1, 64), reads);
        reads.Clear();
        Assert.False(index.TryFind("y", 7, LogPosition.None, OnDisk, out _, out _, out _));
        Assert.Equal([LogPosition.Create(1, 64), LogPosition.Create(1, 128)], reads.Order());
    }

    [Fact]
    public void TryReadIdleAt_SlotStillHoldingTheKnownRecord_ReturnsItAndAnythingElseIsRefused()
    {
        var index = IndexWithIdleCollision();
        var tiers = index.Current;
        var slots = StreamIndex.SlottedEntries(tiers).ToDictionary(e => e.Entry.Version, e => e.IdleSlot);

        Assert.True(StreamIndex.TryReadIdleAt(tiers, slots[20], 7, LogPosition.Create(1, 128), out var found));
        Assert.Equal(20, found.Version);

        // Another record's position, another hash, a slot out of range: not the stream's slot (the caller searches).
        Assert.False(StreamIndex.TryReadIdleAt(tiers, slots[20], 7, LogPosition.Create(1, 64), out _));
        Assert.False(StreamIndex.TryReadIdleAt(tiers, slots[20], 8, LogPosition.Create(1, 128), out _));
        Assert.False(StreamIndex.TryReadIdleAt(tiers, tiers.IdleCount, 7, LogPosition.Create(1, 128), out _));
        Assert.False(StreamIndex.TryReadIdleAt(tiers, -1, 7, LogPosition.Create(1, 128), out _));

        // Promoted to the hot tier: the idle slot is no longer the stream's state.
        index.AddHot(new HotStream("y", found, slots[20]));
        Assert.False(StreamIndex.TryReadIdleAt(tiers, slots[20], 7, LogPosition.Create(1, 128), out _));
        Assert.Equal([(10, slots[10])], StreamIndex.SlottedEntries(tiers).Where(e => e.IdleSlot >= 0).Select(e => (e.Entry.Version, e.IdleSlot)));
    }

    [Fact]
    public void AddHot_PromotedIdleEntry_ReadersFindTheHotStateAndCaptureCountsItOnce()
    {
        var index = new StreamIndex();
        index.LoadIdle([StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 64), Version = 1 }]);
        Assert.True(index.TryFind("x", 7, (_, id) => id == "x", out var idle, out _, out int slot));

        var hot = new HotStream("x", idle, slot);
        index.AddHot(hot);
        hot.Publish(idle with { Version = 2, LatestPosition = LogPosition.Create(1, 200) });

        Assert.True(index.TryFind("x", 7, NeverOnDisk, out var now, out _, out _));
        Assert.Equal(2, now.Version);
        var captured = StreamIndex.Capture(index.Current);
        Assert.Equal(2, Assert.Single(captured).Version);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Demote_ManyEntries_KeepsEveryStreamFindable()
    {
        var index = new StreamIndex();
        for (int i = 0; i < 10_000; i++)
        {
            string id = $"s{i}";
            index.AddHot(new HotStream(id, StreamEntry.CreateNew(Hash(id)) with { Version = i, LatestPosition = i }, -1));
        }

        index.Demote();

        Assert.Equal(0, index.HotCount);
        for (int i = 0; i < 10_000; i++)
        {
            string id = $"s{i}";
            Assert.True(index.TryFind(id, Hash(id), (position, candidate) => position == long.Parse(candidate[1..], System.Globalization.CultureInfo.InvariantCulture), out var entry, out _, out _), id);
            Assert.Equal(i, entry.Version);
        }

        Assert.Equal(10_000, index.Count);
        Assert.Equal(10_000, StreamIndex.Capture(index.Current).Count);
    }

    [Fact]
    public void Capture_NewStreamInTheHotTierBeforeItsFirstRecordIsApplied_LeavesItOut()
    {
        // The committer adds a new stream's hot entry, then applies its first record to it: a copy taken in between.
        var index = new StreamIndex();
        index.LoadIdle([StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 64), Version = 1 }]);
        index.AddHot(new HotStream("written", StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(2, 64), Version = 2 }, -1));
        index.AddHot(new HotStream("new", StreamEntry.CreateNew(7), -1));

        Assert.Equal([1L, 2L], StreamIndex.Capture(index.Current).Select(e => e.Version).Order());
        Assert.Equal([1L, 2L], StreamIndex.CaptureChanged(index.Current, LogPosition.Create(2, 0)).Select(e => e.Version).Order());
    }

    [Fact]
    public void Demote_IdlePromotedAndNewStreams_MergesThemSortedByHashEachOnce()
    {
        var index = new StreamIndex();
        var idle = Enumerable.Range(0, 1_000).Select(i => $"i{i}").ToList();
        index.LoadIdle([.. idle.Select((id, i) => StreamEntry.CreateNew(Hash(id)) with { Version = i, LatestPosition = i })]);
        var promoted = idle.Where((_, i) => i % 3 == 0).ToList();
        foreach (string id in promoted)
        {
            Assert.True(index.TryFind(id, Hash(id), (_, candidate) => candidate == id, out var entry, out _, out int slot), id);
            var stream = new HotStream(id, entry, slot);
            index.AddHot(stream);
            stream.Publish(entry with { Version = entry.Version + 10_000 });
        }

        for (int i = 0; i < 500; i++)
        {
            string id = $"n{i}";
            index.AddHot(new HotStream(id, StreamEntry.CreateNew(Hash(id)) with { Version = 20_000 + i, LatestPosition = 5_000 + i }, -1));
        }

        // A new stream whose hash collides with an idle one that stays idle: both are kept.
        ulong shared = Hash(idle[1]);
        index.AddHot(new HotStream("collides", StreamEntry.CreateNew(shared) with { Version = 30_000, LatestPosition = 9_000 }, -1));

        index.Demote();

        var tiers = index.Current;
        Assert.Equal(1_501, tiers.IdleCount);
        Assert.Equal([1L, 30_000L], tiers.Idle.Take(tiers.IdleCount).Where(e => e.Hash == shared).Select(e => e.Version).Order());
        Assert.Equal(0, index.HotCount);
        Assert.True(tiers.Idle.AsSpan(0, tiers.IdleCount).ToArray().Select(e => e.Hash).SequenceEqual(tiers.Idle.Take(tiers.IdleCount).Select(e => e.Hash).Order()), "not sorted by hash");
        Assert.Equal(1_501, tiers.Idle.Take(tiers.IdleCount).Select(e => e.Version).Distinct().Count());
        Assert.Equal(promoted.Count, tiers.Idle.Take(tiers.IdleCount).Count(e => e.Version is >= 10_000 and < 20_000));
    }

    [Fact]
    public async Task TryFind_WhileTheOwnerPromotesPublishesAndDemotes_NeverMissesAStreamNorSeesAVersionGoBack()
    {
        const int streams = 64;
        var index = new StreamIndex();
        index.LoadIdle([.. Enumerable.Range(0, streams).Select(i => StreamEntry.CreateNew(Hash($"s{i}")) with { Version = 1, LatestPosition = i })]);
        bool OnDisk(long position, string id) => position == long.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var readers = Enumerable.Range(0, 2).Select(reader => Task.Run(() =>
        {
            var seen = new long[streams];
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < streams; i++)
                {
                    string id = $"s{i}";
                    if (!index.TryFind(id, Hash(id), OnDisk, out var entry, out _, out _))
                    {
                        failures.Enqueue($"{id} not found");
                    }
                    else if (entry.Version < seen[i])
                    {
                        failures.Enqueue($"{id} went back from {seen[i]} to {entry.Version}");
                    }
                    else
                    {
                        seen[i] = entry.Version;
                    }
                }
            }
        })).ToArray();

        // The owner: promote every stream, publish new versions, demote; the latest position keeps identifying the stream.
        for (int round = 0; round < 200 && failures.IsEmpty; round++)
        {
            var hots = new List<HotStream>();
            for (int i = 0; i < streams; i++)
            {
                string id = $"s{i}";
                Assert.True(index.TryFind(id, Hash(id), OnDisk, out var entry, out var hot, out int slot));
                hot ??= new HotStream(id, entry, slot);
                if (!hot.IsPublished)
                {
                    index.AddHot(hot);
                }

                hot.Publish(entry with { Version = entry.Version + 1 });
                hots.Add(hot);
            }

            if (round % 3 == 2)
            {
                index.Demote();
            }
        }

        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.True(failures.IsEmpty, string.Join("; ", failures.Take(5)));
    }

    [Fact]
    public void TryFind_IdleCandidateMovedAndItsSegmentReclaimedWhileVerifying_ReturnsTheHotState()
    {
        // The race a crash-point run hit under load: a reader checked the idle slot (not moved), then compaction copied
        // the stream forward (promoting it), and the segment of the idle position was deleted before the reader's
        // verification read it. The reader must find the copy, not report the old position as lost.
        var index = new StreamIndex();
        var old = StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(4, 41013), Version = 5 };
        index.LoadIdle([old]);
        int verifications = 0;

        bool ReclaimedWhileVerifying(long position, string id)
        {
            if (verifications++ == 0)
            {
                var hot = new HotStream(id, old, 0);
                index.AddHot(hot);
                hot.Publish(old with { LatestPosition = LogPosition.Create(5, 64) });
            }

            throw new LogCorruptedException($"/log/{LogPosition.Segment(position)}.wal", LogPosition.Offset(position), "the segment is missing");
        }

        Assert.True(index.TryFind("x", 7, ReclaimedWhileVerifying, out var found, out var hot, out _));

        Assert.NotNull(hot);
        Assert.Equal(LogPosition.Create(5, 64), found.LatestPosition);
        Assert.Equal(1, verifications);
    }

    [Fact]
    public void TryFind_IdleCandidateSegmentMissingAndUnchanged_ThrowsTheLoss()
    {
        var index = new StreamIndex();
        index.LoadIdle([StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(4, 41013), Version = 5 }]);

        var error = Assert.Throws<LogCorruptedException>(() => index.TryFind(
            "x", 7, (position, _) => throw new LogCorruptedException("/log/4.wal", LogPosition.Offset(position), "the segment is missing"), out _, out _, out _));

        Assert.Contains("the segment is missing", error.Message);
    }

    [Fact]
    public void ReplaceIdle_RelocatedIdleStream_FoundAtItsNewPositionAndStillIdle()
    {
        var index = new StreamIndex();
        index.LoadIdle([StreamEntry.CreateNew(Hash("s")) with { LatestPosition = LogPosition.Create(1, 64), Version = 3 }]);
        Assert.True(index.TryFind("s", Hash("s"), (_, id) => id == "s", out _, out _, out int slot));

        var entry = index.OwnedIdle(index.Current, slot);
        entry.Apply(RecordType.Relocated, LogPosition.Create(5, 64), 100, 3, (RecordType.Events, 0), retainEvents: false, space: null);
        StreamIndex.ReplaceIdle(index.Current, slot, entry);

        Assert.True(index.TryFind("s", Hash("s"), (position, id) => id == "s" && position == LogPosition.Create(5, 64), out var found, out var hot, out _));
        Assert.Null(hot);
        Assert.Equal((LogPosition.Create(5, 64), 3L), (found.LatestPosition, found.Version));
        Assert.Equal(LogPosition.Create(5, 64), Assert.Single(StreamIndex.Capture(index.Current)).LatestPosition);
    }

    [Fact]
    public void OwnedIdle_SlotPromotedMeanwhile_Throws()
    {
        var index = new StreamIndex();
        index.LoadIdle([StreamEntry.CreateNew(Hash("s")) with { LatestPosition = LogPosition.Create(1, 64), Version = 3 }]);
        Assert.True(index.TryFind("s", Hash("s"), (_, id) => id == "s", out var entry, out _, out int slot));
        index.AddHot(new HotStream("s", entry, slot));

        Assert.Throws<InvalidOperationException>(() => index.OwnedIdle(index.Current, slot));
    }

    [Fact]
    public async Task ReadIdle_WhileTheOwnerReplacesTheSlot_NeverSeesAMixOfTwoEntries()
    {
        // Every entry the owner writes has LatestPosition = Version = BaseVersion = LatestRunBytes: a torn copy breaks it.
        // The owner keeps writing until the reader has copied the slot 500,000 times (both run at once on two cores).
        var index = new StreamIndex();
        index.LoadIdle([Entry(1)]);
        var tiers = index.Current;
        const int Reads = 500_000;
        int reads = 0;
        int torn = 0;
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                StreamEntry e = tiers.ReadIdle(0);
                if (e.LatestPosition != e.Version || e.Version != e.BaseVersion || e.BaseVersion != e.LatestRunBytes)
                {
                    Interlocked.Increment(ref torn);
                }

                Interlocked.Increment(ref reads);
            }
        });

        long written = 1;
        while (Volatile.Read(ref reads) < Reads && !reader.IsCompleted)
        {
            StreamIndex.ReplaceIdle(tiers, 0, Entry(++written));
        }

        done.Cancel();
        await reader;
        Assert.Equal(0, torn);
        Assert.Equal(written, tiers.ReadIdle(0).Version);

        static StreamEntry Entry(long n) => StreamEntry.CreateNew(1) with { LatestPosition = n, Version = n, BaseVersion = n, LatestRunBytes = (uint)n };
    }

    private static bool NeverOnDisk(long position, string id) => false;

    /// <summary>An index of two idle entries with hash 7: version 10 latest at 1:64, version 20 latest at 1:128.</summary>
    private static StreamIndex IndexWithIdleCollision()
    {
        var index = new StreamIndex();
        index.LoadIdle(
        [
            StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 64), Version = 10 },
            StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 128), Version = 20 },
        ]);
        return index;
    }

    private static ulong Hash(string id) => StreamHash.Compute(System.Text.Encoding.UTF8.GetBytes(id));
}
