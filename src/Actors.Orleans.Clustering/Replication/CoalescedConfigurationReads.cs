using Actors.Orleans.Clustering.Storage;
using Actors.Replication.Configuration;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The configuration reads of every replica this silo hosts, served by one whole-table read at a time: each replica
/// re-reads its partition's row every <c>ConfigurationPollInterval</c>, and with many partitions per silo one query per
/// replica would keep as many PostgreSQL connections busy.
/// </summary>
/// <remarks>
/// <para>Freshness: a caller is answered by a read that began after its call did (it joins the next read when one is
/// already running), so it never sees a row older than one written before it asked: the same guarantee as a read of its
/// own row.</para>
/// <para>Thread-safe. Failures surface as <see cref="ReplicaConfigurationStoreException"/> to every caller of that read.</para>
/// </remarks>
internal sealed class CoalescedConfigurationReads(ClusterCatalog catalog)
{
    private readonly Lock _gate = new();
    private bool _running;
    private TaskCompletionSource<Dictionary<int, ReplicaConfiguration>>? _next;

    /// <summary>Every partition's configuration, as of a read that began after this call.</summary>
    public Task<Dictionary<int, ReplicaConfiguration>> ReadAsync()
    {
        lock (_gate)
        {
            if (!_running)
            {
                _running = true;
                var first = new TaskCompletionSource<Dictionary<int, ReplicaConfiguration>>(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = ServeAsync(first);
                return first.Task;
            }

            _next ??= new TaskCompletionSource<Dictionary<int, ReplicaConfiguration>>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task;
        }
    }

    /// <summary>The configuration of <paramref name="partition"/>, as of a read that began after this call.</summary>
    /// <exception cref="ReplicaConfigurationStoreException">The row is missing or could not be read.</exception>
    public async ValueTask<ReplicaConfiguration> ReadAsync(int partition)
    {
        Dictionary<int, ReplicaConfiguration> rows = await ReadAsync().ConfigureAwait(false);
        return rows.TryGetValue(partition, out ReplicaConfiguration? configuration)
            ? configuration
            : throw new ReplicaConfigurationStoreException($"Partition {partition} of cluster '{catalog.ClusterId}' has no row in actors_replica_configurations.");
    }

    /// <summary>Reads for <paramref name="current"/>, then for the callers that arrived meanwhile, until none waits.</summary>
    private async Task ServeAsync(TaskCompletionSource<Dictionary<int, ReplicaConfiguration>> current)
    {
        await Task.Yield();
        while (true)
        {
            try
            {
                current.TrySetResult(await catalog.ReadConfigurationsAsync(CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                current.TrySetException(ex);
            }

            lock (_gate)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                current = _next;
                _next = null;
            }
        }
    }
}
