namespace Actors.Cluster.Membership;

/// <summary>
/// An <see cref="IClusterStore"/> whose whole-table reads are coalesced: at most one <see cref="ReadAsync"/> per cluster is
/// in flight in the inner store, and the calls that arrive while it runs share the next one. Every other call goes
/// straight to the inner store.
/// </summary>
/// <remarks>
/// <para>
/// Why: a silo hosts one replica per replicated partition and each polls its configuration (a whole-table read) every few
/// hundred milliseconds. Sent one by one, 16 replicas per silo held up to one PostgreSQL connection each under load and
/// exhausted the server's connections ("53300: too many clients"), which then failed the lease renewals of every silo
/// on that server. Coalesced, a silo reads the table at most once at a time however many replicas poll.
/// </para>
/// <para>
/// Linearizable like the inner read: a call is answered by a read that <em>started after the call was made</em> (a call
/// never joins a read already in flight, whose snapshot may predate it), so a replica never observes a table older than
/// its request. A failed read fails every call it answered, with the inner store's exception; the next calls start a new
/// read. A caller's cancellation stops its wait, not the shared read. Thread-safe.
/// </para>
/// </remarks>
public sealed class ReadCoalescingClusterStore : IClusterStore
{
    private readonly IClusterStore _inner;
    private readonly object _lock = new();
    private readonly Dictionary<string, ClusterReads> _reads = new(StringComparer.Ordinal);
    private long _innerReads;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public ReadCoalescingClusterStore(IClusterStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>The reads sent to the inner store so far (all clusters): fewer than the calls when calls overlapped.</summary>
    public long InnerReads => Interlocked.Read(ref _innerReads);

    /// <inheritdoc />
    public Task<ClusterSnapshot> InitializeAsync(string clusterId, int partitionCount, CancellationToken cancellationToken)
        => _inner.InitializeAsync(clusterId, partitionCount, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Coalesced: answered by the next inner read that starts after this call (see the type's remarks).</remarks>
    public Task<ClusterSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        Task<ClusterSnapshot> answer;
        TaskCompletionSource<ClusterSnapshot>? start = null;
        ClusterReads? started = null;
        lock (_lock)
        {
            if (!_reads.TryGetValue(clusterId, out ClusterReads? reads))
            {
                _reads[clusterId] = reads = new ClusterReads();
            }

            if (reads.Running)
            {
                // The running read may have started before this call: wait for the next one.
                reads.Next ??= new TaskCompletionSource<ClusterSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                answer = reads.Next.Task;
            }
            else
            {
                start = new TaskCompletionSource<ClusterSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                reads.Running = true;
                started = reads;
                answer = start.Task;
            }
        }

        if (start is not null)
        {
            _ = ReadInnerAsync(clusterId, started!, start);
        }

        return answer.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<ClusterChanges> ReadChangesAsync(string clusterId, long sinceTableVersion, CancellationToken cancellationToken)
        => _inner.ReadChangesAsync(clusterId, sinceTableVersion, cancellationToken);

    /// <inheritdoc />
    public Task<LeaseRenewal> RenewLeaseAsync(string clusterId, string silo, long incarnation, TimeSpan duration, CancellationToken cancellationToken)
        => _inner.RenewLeaseAsync(clusterId, silo, incarnation, duration, cancellationToken);

    /// <inheritdoc />
    public LeaseRenewal RenewLease(string clusterId, string silo, long incarnation, TimeSpan duration, TimeSpan timeout)
        => _inner.RenewLease(clusterId, silo, incarnation, duration, timeout);

    /// <inheritdoc />
    public Task<bool> TryApplyAsync(string clusterId, ClusterUpdate update, CancellationToken cancellationToken)
        => _inner.TryApplyAsync(clusterId, update, cancellationToken);

    /// <summary>Runs inner reads for <paramref name="clusterId"/> until no call waits for a next one.</summary>
    private async Task ReadInnerAsync(string clusterId, ClusterReads reads, TaskCompletionSource<ClusterSnapshot> answer)
    {
        while (true)
        {
            Interlocked.Increment(ref _innerReads);
            try
            {
                // Shared by every caller it answers: no caller's token may cancel it.
                answer.TrySetResult(await _inner.ReadAsync(clusterId, CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                answer.TrySetException(exception);
            }

            lock (_lock)
            {
                if (reads.Next is null)
                {
                    reads.Running = false;
                    return;
                }

                answer = reads.Next;
                reads.Next = null;
            }
        }
    }

    /// <summary>The coalescing state of one cluster's reads; guarded by the store's lock.</summary>
    private sealed class ClusterReads
    {
        /// <summary>Whether an inner read is in flight.</summary>
        public bool Running { get; set; }

        /// <summary>The answer of the calls that arrived while the running read was in flight; null when none did.</summary>
        public TaskCompletionSource<ClusterSnapshot>? Next { get; set; }
    }
}
