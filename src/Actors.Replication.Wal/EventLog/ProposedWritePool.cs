namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// Idle <see cref="ProposedWrite"/>s of one <see cref="ReplicatedEventLog"/>, so a write in steady state allocates no
/// completion. Any thread rents and returns; an empty pool makes a new one, a full pool drops the returned one.
/// </summary>
internal sealed class ProposedWritePool
{
    /// <summary>The most idle completions kept (more than the writes one partition has in flight at once in practice).</summary>
    public const int Capacity = 1024;

    private readonly Lock _gate = new();
    private readonly Stack<ProposedWrite> _idle = new();

    /// <summary>Idle completions now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>A completion ready to register (pending, nothing awaits it).</summary>
    public ProposedWrite Rent()
    {
        lock (_gate)
        {
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
        }

        return new ProposedWrite(this);
    }

    /// <summary>Takes back a completion whose outcome was read (reset already).</summary>
    public void Return(ProposedWrite write)
    {
        lock (_gate)
        {
            if (_idle.Count < Capacity)
            {
                _idle.Push(write);
            }
        }
    }
}
