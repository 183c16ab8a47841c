using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Membership;

/// <summary>Runs its tests alone, after the parallel ones: they starve the whole process's thread pool.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadPoolStarvationCollection
{
    public const string Name = "Thread pool starvation";
}

/// <summary>
/// A silo whose thread pool is starved (every worker blocked, a queue of work ahead of anything new) keeps renewing its
/// lease: renewals run on a thread of their own with synchronous store I/O. Before, a renewal was a chain of thread-pool
/// work items (the renewal timer's callback, the store call's continuations), each queued behind the silo's other work,
/// so a busy silo on a CPU-starved machine let its lease lapse and was declared dead while alive (the compose loop at
/// load average ~45).
/// </summary>
[Collection(ThreadPoolStarvationCollection.Name)]
public sealed class StarvedThreadPoolTests
{
    /// <summary>
    /// More blocking work items than the pool injects threads during the test (it adds about one or two a second when
    /// starved), so anything queued after them waits until they are released.
    /// </summary>
    private const int Blockers = 400;

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ThreadPoolStarvedByBlockingWork_LeaseKeepsBeingRenewed()
    {
        var store = new InMemoryClusterStore();
        var options = new ClusterOptions { ClusterId = "starved-pool", PartitionCount = 2, LeaseDuration = Lease, LeaseRenewPeriod = TimeSpan.FromMilliseconds(100) };
        await using var agent = new MembershipAgent(store, options, "s", () => "s:1", () => null, TimeProvider.System, NullLogger.Instance);
        await agent.JoinAsync(CancellationToken.None);
        agent.StartRenewing();

        // From here until the blockers are released nothing may wait for the thread pool: this thread polls the store
        // (whose calls complete synchronously) and waits on kernel timeouts.
        using var release = new ManualResetEvent(false);
        using var probeRan = new ManualResetEventSlim();
        DateTimeOffset leaseAtStart = LeaseEnd(store);
        for (int i = 0; i < Blockers; i++)
        {
            ThreadPool.QueueUserWorkItem(static gate => gate.WaitOne(), release, preferLocal: false);
        }

        ThreadPool.QueueUserWorkItem(static ran => ran.Set(), probeRan, preferLocal: false);
        DateTimeOffset target = leaseAtStart + Lease * 3;
        DateTimeOffset leaseNow;
        bool starvedThroughout;
        int threads;
        var waited = Stopwatch.StartNew();
        try
        {
            while ((leaseNow = LeaseEnd(store)) < target && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                release.WaitOne(TimeSpan.FromMilliseconds(20));
            }

            starvedThroughout = !probeRan.IsSet;
            threads = ThreadPool.ThreadCount;
        }
        finally
        {
            release.Set();
        }

        Assert.True(leaseNow >= target,
            $"the lease stopped being renewed while the thread pool was starved: it ends at {leaseNow:O}, was {leaseAtStart:O} when the starvation began {waited.Elapsed.TotalSeconds:N1} s ago ({threads} pool threads)");
        Assert.True(starvedThroughout,
            $"the thread pool was not starved for the whole test: a work item queued behind the {Blockers} blockers ran ({threads} pool threads); the test proves nothing then");
        Assert.True(probeRan.Wait(TimeSpan.FromSeconds(60)), "the thread pool recovers once the blockers are released");
        Assert.False(agent.IsDeclaredDead);
    }

    private static DateTimeOffset LeaseEnd(InMemoryClusterStore store)
        => store.ReadAsync("starved-pool", CancellationToken.None).GetAwaiter().GetResult().FindSilo("s")!.LeaseExpiresAt;
}
