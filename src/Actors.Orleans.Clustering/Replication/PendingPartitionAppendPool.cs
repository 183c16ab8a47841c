namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Idle <see cref="PendingPartitionAppend"/>s of one <see cref="ReplicatedPartitionLog"/>, so an append in steady state
/// allocates none. Any thread rents and returns; an empty pool makes a new one, a full pool drops the returned one.
/// </summary>
internal sealed class PendingPartitionAppendPool
{
    /// <summary>The most idle appends kept (more than the writes one partition has in flight at once in practice).</summary>
    public const int Capacity = 1024;

    private readonly Lock _gate = new();
    private readonly Stack<PendingPartitionAppend> _idle = new();

    /// <summary>A pending append ready to start.</summary>
    public PendingPartitionAppend Rent()
    {
        lock (_gate)
        {
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
        }

        return new PendingPartitionAppend(this);
    }

    /// <summary>Takes back an append whose outcome was read (reset already).</summary>
    public void Return(PendingPartitionAppend append)
    {
        lock (_gate)
        {
            if (_idle.Count < Capacity)
            {
                _idle.Push(append);
            }
        }
    }
}
