using Actors.Wal.Tests.Support;
using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The group commit's batching rule (<see cref="AdaptiveCommitPolicy"/>): a small population waits for its stragglers so
/// that one fsync covers it, a large group is synced at once, and the committer asks the rule again as requests arrive.
/// </summary>
public sealed class CommitPolicyTests : LogTestBase
{
    private static readonly TimeSpan Fsync = TimeSpan.FromMicroseconds(300);

    [Theory]
    [InlineData(1, 1)] // one writer never waits
    [InlineData(16, 16)]
    [InlineData(200, 150)]
    public void Linger_EveryExpectedRequestWaiting_SyncsAtOnce(int pending, int expected)
        => Assert.Equal(TimeSpan.Zero, new AdaptiveCommitPolicy(TimeSpan.Zero).Linger(pending, expected, Fsync));

    [Fact]
    public void Linger_HalfOfASmallPopulationWaiting_WaitsHalfAnFsync()
        => Assert.Equal(Fsync / 2, new AdaptiveCommitPolicy(TimeSpan.Zero).Linger(8, 16, Fsync));

    [Fact]
    public void Linger_SlowFsync_WaitsAtMost500Microseconds()
        => Assert.Equal(TimeSpan.FromMicroseconds(500), new AdaptiveCommitPolicy(TimeSpan.Zero).Linger(8, 16, TimeSpan.FromMilliseconds(20)));

    [Theory]
    [InlineData(AdaptiveCommitPolicy.EnoughToSync, 256)]
    [InlineData(130, 256)]
    public void Linger_LargeGroupWaiting_SyncsAtOnce(int pending, int expected)
        => Assert.Equal(TimeSpan.Zero, new AdaptiveCommitPolicy(TimeSpan.Zero).Linger(pending, expected, Fsync));

    [Fact]
    public void Linger_OneShortOfEnough_StillWaits()
        => Assert.Equal(Fsync / 2, new AdaptiveCommitPolicy(TimeSpan.Zero).Linger(AdaptiveCommitPolicy.EnoughToSync - 1, 256, Fsync));

    [Fact]
    public void Linger_ConfiguredBatchDelay_IsWaitedWhateverTheGroupSize()
        => Assert.Equal(TimeSpan.FromMilliseconds(1), new AdaptiveCommitPolicy(TimeSpan.FromMilliseconds(1)).Linger(200, 256, Fsync));

    [Fact]
    public async Task Commit_LingeringWhenThePolicySaysEnough_SyncsWithoutWaitingForTheRest()
    {
        var policy = new EnoughAt(4);
        using var gate = new ManualResetEventSlim(false);
        await using var log = await WriteAheadLog.OpenAsync(Options(), Files, commitPolicy: policy);

        // One commit completes 7 appends: from then on the committer expects about 7 requests per commit.
        await AppendDuringTheFirstFsyncAsync(log, gate, 7);

        while (policy.Lingering.Wait(0))
        {
            // A linger while the seven were taken in parts: only the one below counts.
        }

        // One request alone: the committer lingers (the policy says 10 minutes for fewer than 4) ...
        var y = new List<Task<AppendResult>> { log.AppendAsync("y0", 0, Events("y")).AsTask() };
        Assert.True(await policy.Lingering.WaitAsync(TimeSpan.FromSeconds(60)), "the committer did not linger for the stragglers");

        // ... and syncs as soon as the fourth arrives, not when all 7 expected have come or the 10 minutes passed.
        y.AddRange(Enumerable.Range(1, 3).Select(i => log.AppendAsync($"y{i}", 0, Events("y")).AsTask()));
        await Task.WhenAll(y).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(y, t => Assert.Equal(1, t.Result.LastVersion));
    }

    [Fact]
    public async Task Commit_RequestsThatArrivedDuringAnFsync_AreExpectedOnceBesideTheCallersItCompleted()
    {
        var policy = new Recording();
        using var gate = new ManualResetEventSlim(false);
        await using var log = await WriteAheadLog.OpenAsync(Options(), Files, commitPolicy: policy);

        // The first commit holds one append in its fsync while five more are framed and the writer goes idle.
        await AppendDuringTheFirstFsyncAsync(log, gate, 5);

        // The second commit holds the five, taken when the first one's fsync ended: they arrived while it ran, so the
        // committer expects them and the one caller the first commit completed (6), not that caller twice.
        Assert.Equal([(1, 1), (5, 6)], policy.Calls);
    }

    /// <summary>
    /// Holds the first commit (one append) in its fsync while <paramref name="count"/> appends of other streams are framed
    /// and the writer lets go of its drain; then lets the fsync finish and waits for all of them.
    /// </summary>
    private async Task AppendDuringTheFirstFsyncAsync(WriteAheadLog log, ManualResetEventSlim gate, int count)
    {
        Files.FsyncGate = gate;
        var first = log.AppendAsync("first", 0, Events("x")).AsTask();
        Assert.True(await Files.FsyncEntered.WaitAsync(TimeSpan.FromSeconds(60)), "the committer never reached the first fsync");
        long written = log.GetStatistics().AppendedRecords;
        var appends = Enumerable.Range(0, count).Select(i => log.AppendAsync($"w{i}", 0, Events("e")).AsTask()).ToList();
        await PollAsync(() => log.GetStatistics().AppendedRecords == written + count && !log.WriterIsDraining, $"the {count} appends were not framed");
        Files.FsyncGate = null;
        gate.Set();
        await Task.WhenAll(appends.Append(first)).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Records what the committer asks (pending, expected) and never lingers.</summary>
    private sealed class Recording : ICommitPolicy
    {
        private readonly List<(int Pending, int Expected)> _calls = [];

        public List<(int Pending, int Expected)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public TimeSpan Linger(int pending, int expected, TimeSpan fsyncLatency)
        {
            lock (_calls)
            {
                _calls.Add((pending, expected));
            }

            return TimeSpan.Zero;
        }
    }

    /// <summary>Syncs when everyone expected or <paramref name="enough"/> requests wait; else lingers 10 minutes.</summary>
    private sealed class EnoughAt(int enough) : ICommitPolicy
    {
        public SemaphoreSlim Lingering { get; } = new(0);

        public TimeSpan Linger(int pending, int expected, TimeSpan fsyncLatency)
        {
            if (pending >= expected || pending >= enough)
            {
                return TimeSpan.Zero;
            }

            Lingering.Release();
            return TimeSpan.FromMinutes(10);
        }
    }
}
