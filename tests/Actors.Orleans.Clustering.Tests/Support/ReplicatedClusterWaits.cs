using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Storage;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// Waits the replicated-cluster tests share: a condition on the silos' replicas, and a grain call retried while it is
/// refused with nothing done. Each gives up after <see cref="Patience"/> (a bound for a loaded machine that only catches
/// a hang) with a message naming what was awaited.
/// </summary>
internal static class ReplicatedClusterWaits
{
    /// <summary>How long a wait or a retried call may take before the test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The pause before a refused call of <see cref="RetryAsync{T}"/> is tried again.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// True when each of the three <paramref name="silos"/> holds a replica of <paramref name="partition"/>, one of them
    /// leads with a committed entry, and every replica holds the leader's committed entries durably.
    /// </summary>
    public static bool DurableOnAll(IEnumerable<SiloHandle> silos, int partition)
    {
        HeldReplica?[] replicas = [.. silos.Select(s => ReplicatedTestCluster.Replicas(s).Get(partition))];
        if (replicas.Any(r => r is null) || replicas.Length != 3)
        {
            return false;
        }

        HeldReplica? leader = replicas.FirstOrDefault(r => r!.Host.Status.IsLeader);
        return leader is not null && leader.Host.Status.CommittedLsn > 0
            && replicas.All(r => r!.Host.Status.DurableLsn >= leader.Host.Status.CommittedLsn);
    }

    /// <summary>
    /// Calls until the call succeeds, retrying on the refusals that say nothing was done: the provider's retryable
    /// refusal, and Orleans's rejections of a message no activation ran (a silo gone, or forwarding to a deactivated one).
    /// A refused call is tried again after <see cref="RetryPause"/>, as the waits poll: a refusal comes back at once while
    /// a partition has no leader, and retried without a pause those calls keep a core busy meanwhile.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, string what)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is WriteAheadLogUnavailableException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{what}: still refused after {Patience}: {ex}");
                await Task.Delay(RetryPause);
            }
        }
    }

    /// <summary>Completes once <paramref name="condition"/> holds; fails the test naming <paramref name="what"/> after <see cref="Patience"/>.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
