using Actors.TestingHost.Conformance;

namespace Actors.Cluster.Tests.Membership;

public sealed class ReadCoalescingClusterStoreTests
{
    private const string Cluster = "coalesced";

    [Fact]
    public async Task Conformance_AllScenariosThroughTheDecorator_Pass()
    {
        var clock = new StoreClock();
        var store = new ReadCoalescingClusterStore(new InMemoryClusterStore(clock));

        await new ClusterStoreConformance(store, by =>
        {
            clock.Advance(by);
            return Task.CompletedTask;
        }).RunAllAsync();
    }

    [Fact]
    public async Task ReadAsync_CallsWhileAReadRuns_ShareOneLaterReadThatSeesAWriteMadeBeforeThem()
    {
        var inner = new GatedReads();
        await inner.InitializeAsync(Cluster, 4, CancellationToken.None);
        var store = new ReadCoalescingClusterStore(inner);

        Task<ClusterSnapshot> first = store.ReadAsync(Cluster, CancellationToken.None);
        await inner.WaitForReadsStartedAsync(1);
        long versionBefore = (await inner.Inner.ReadAsync(Cluster, CancellationToken.None)).TableVersion;
        Assert.True(await inner.Inner.TryApplyAsync(Cluster, new ClusterUpdate().Write(
            new SiloRecord("silo-a", 1, SiloStatus.Active, "silo-a:1", null, default, default, 0), 0, TimeSpan.FromMinutes(1)), CancellationToken.None));
        Task<ClusterSnapshot>[] later = [.. Enumerable.Range(0, 10).Select(_ => store.ReadAsync(Cluster, CancellationToken.None))];

        Assert.Equal(1, inner.ReadsStarted);
        inner.ReleaseOne(); // the first read answers only the first call
        ClusterSnapshot firstSnapshot = await first;
        await inner.WaitForReadsStartedAsync(2);
        Assert.All(later, t => Assert.False(t.IsCompleted));
        inner.ReleaseOne();
        ClusterSnapshot[] laterSnapshots = await Task.WhenAll(later);

        Assert.Equal(2, inner.ReadsStarted);
        Assert.Equal(2, store.InnerReads);
        Assert.Equal(versionBefore, firstSnapshot.TableVersion);
        Assert.All(laterSnapshots, s => Assert.NotNull(s.FindSilo("silo-a")));
    }

    [Fact]
    public async Task ReadAsync_TheSharedReadFails_EveryCallItAnsweredFailsAndTheNextCallReadsAgain()
    {
        var inner = new GatedReads();
        await inner.InitializeAsync(Cluster, 4, CancellationToken.None);
        var store = new ReadCoalescingClusterStore(inner);
        Task<ClusterSnapshot> running = store.ReadAsync(Cluster, CancellationToken.None);
        await inner.WaitForReadsStartedAsync(1);
        Task<ClusterSnapshot>[] waiting = [store.ReadAsync(Cluster, CancellationToken.None), store.ReadAsync(Cluster, CancellationToken.None)];

        inner.ReleaseOne();
        await running;
        await inner.WaitForReadsStartedAsync(2);
        inner.FailOne(new ClusterStoreException("the store is down"));

        foreach (Task<ClusterSnapshot> call in waiting)
        {
            ClusterStoreException error = await Assert.ThrowsAsync<ClusterStoreException>(() => call);
            Assert.Equal("the store is down", error.Message);
        }

        Task<ClusterSnapshot> again = store.ReadAsync(Cluster, CancellationToken.None);
        await inner.WaitForReadsStartedAsync(3);
        inner.ReleaseOne();
        Assert.Equal(4, (await again).PartitionCount);
    }

    [Fact]
    public async Task ReadAsync_OneWaitingCallerCancels_TheOthersStillGetTheSharedRead()
    {
        var inner = new GatedReads();
        await inner.InitializeAsync(Cluster, 4, CancellationToken.None);
        var store = new ReadCoalescingClusterStore(inner);
        Task<ClusterSnapshot> running = store.ReadAsync(Cluster, CancellationToken.None);
        await inner.WaitForReadsStartedAsync(1);
        using var cancel = new CancellationTokenSource();
        Task<ClusterSnapshot> cancelled = store.ReadAsync(Cluster, cancel.Token);
        Task<ClusterSnapshot> kept = store.ReadAsync(Cluster, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        inner.ReleaseOne();
        await running;
        await inner.WaitForReadsStartedAsync(2);
        inner.ReleaseOne();

        Assert.Equal(4, (await kept).PartitionCount);
        Assert.Equal(2, store.InnerReads);
    }

    /// <summary>
    /// An in-memory store whose whole-table reads take their snapshot when they start, then wait for the test to release
    /// (or fail) them, in order: a read in flight answers with a table that may be older than the calls made meanwhile.
    /// </summary>
    private sealed class GatedReads : IClusterStore
    {
        private readonly Queue<TaskCompletionSource<Exception?>> _gates = new();
        private readonly object _lock = new();
        private readonly SemaphoreSlim _started = new(0);

        public InMemoryClusterStore Inner { get; } = new();

        public int ReadsStarted { get; private set; }

        public async Task WaitForReadsStartedAsync(int count)
        {
            while (true)
            {
                lock (_lock)
                {
                    if (ReadsStarted >= count)
                    {
                        return;
                    }
                }

                await _started.WaitAsync(TimeSpan.FromMinutes(2));
            }
        }

        public void ReleaseOne() => Dequeue().SetResult(null);

        public void FailOne(Exception exception) => Dequeue().SetResult(exception);

        public Task<ClusterSnapshot> InitializeAsync(string clusterId, int partitionCount, CancellationToken cancellationToken)
            => Inner.InitializeAsync(clusterId, partitionCount, cancellationToken);

        public async Task<ClusterSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken)
        {
            ClusterSnapshot snapshot = await Inner.ReadAsync(clusterId, cancellationToken);
            var gate = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _gates.Enqueue(gate);
                ReadsStarted++;
            }

            _started.Release();
            if (await gate.Task is { } failure)
            {
                throw failure;
            }

            return snapshot;
        }

        public Task<ClusterChanges> ReadChangesAsync(string clusterId, long sinceTableVersion, CancellationToken cancellationToken)
            => Inner.ReadChangesAsync(clusterId, sinceTableVersion, cancellationToken);

        public Task<LeaseRenewal> RenewLeaseAsync(string clusterId, string silo, long incarnation, TimeSpan duration, CancellationToken cancellationToken)
            => Inner.RenewLeaseAsync(clusterId, silo, incarnation, duration, cancellationToken);

        public Task<bool> TryApplyAsync(string clusterId, ClusterUpdate update, CancellationToken cancellationToken)
            => Inner.TryApplyAsync(clusterId, update, cancellationToken);

        private TaskCompletionSource<Exception?> Dequeue()
        {
            lock (_lock)
            {
                return _gates.Dequeue();
            }
        }
    }
}
