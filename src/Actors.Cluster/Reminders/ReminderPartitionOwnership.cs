using Actors.Reminders;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Reminders;

/// <summary>
/// Tells the silo's reminder service which partitions it serves: a partition is acquired once its logs serve here and
/// released before its data moves away, so its reminders fire on one silo at a time and move with its logs.
/// </summary>
/// <remarks>
/// The partition owner calls <see cref="ServingAsync"/> when it starts serving a partition and <see cref="ReleasingAsync"/>
/// before it stops; <see cref="EnsureAcquiredAsync"/> (every reconcile) retries an acquire that failed. Acquire and
/// release of one partition are serialized, and a partition being released is not acquired again until it is served
/// anew. Without a reminder service (none attached) every call does nothing. Thread-safe.
/// </remarks>
internal sealed partial class ReminderPartitionOwnership(ILogger logger) : IReminderPartitionOwnership
{
    private readonly object _lock = new();
    private readonly HashSet<int> _acquired = [];
    private readonly HashSet<int> _releasing = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, SemaphoreSlim> _gates = new();
    private IReminderPartitionHandler? _handler;

    /// <summary>Called when the reminder service attaches (the owner then acquires the partitions it already serves).</summary>
    public Action? Attached { get; set; }

    /// <inheritdoc />
    public void Attach(IReminderPartitionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Volatile.Write(ref _handler, handler);
        Attached?.Invoke();
    }

    /// <summary>This silo serves <paramref name="partition"/> now: its reminders are loaded and scheduled here.</summary>
    public async Task ServingAsync(int partition, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _releasing.Remove(partition);
        }

        await TryAcquireAsync(partition, cancellationToken);
    }

    /// <summary>Acquires every served partition whose acquire has not succeeded yet.</summary>
    public async Task EnsureAcquiredAsync(IEnumerable<int> served, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _handler) is null)
        {
            return;
        }

        int[] missing;
        lock (_lock)
        {
            missing = served.Where(p => !_acquired.Contains(p) && !_releasing.Contains(p)).ToArray();
        }

        foreach (int partition in missing)
        {
            await TryAcquireAsync(partition, cancellationToken);
        }
    }

    /// <summary>
    /// <paramref name="partition"/> is about to stop serving here: no tick of it starts any more, and this completes when
    /// the ticks being delivered have ended and were recorded in the partition's log.
    /// </summary>
    public async Task ReleasingAsync(int partition, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = Gate(partition);
        await gate.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                _releasing.Add(partition);
                _acquired.Remove(partition);
            }

            if (Volatile.Read(ref _handler) is { } handler)
            {
                await handler.ReleaseAsync(partition, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task TryAcquireAsync(int partition, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _handler) is not { } handler)
        {
            return;
        }

        SemaphoreSlim gate = Gate(partition);
        await gate.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                if (_acquired.Contains(partition) || _releasing.Contains(partition))
                {
                    return;
                }
            }

            await handler.AcquireAsync(partition, cancellationToken);
            lock (_lock)
            {
                _acquired.Add(partition);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAcquireFailed(logger, ex, partition);
        }
        finally
        {
            gate.Release();
        }
    }

    private SemaphoreSlim Gate(int partition) => _gates.GetOrAdd(partition, static _ => new SemaphoreSlim(1, 1));

    [LoggerMessage(EventId = 4909, Level = LogLevel.Error, Message = "Partition {Partition}: its reminders could not be loaded; retried at the next reconcile (they do not fire until then)")]
    private static partial void LogAcquireFailed(ILogger logger, Exception exception, int partition);
}
