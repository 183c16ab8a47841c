using Actors.Hosting;
using Actors.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Reminders;

/// <summary>
/// The silo's reminder service: loads the rows of the partitions it owns from the <see cref="IReminderTable"/>, keeps
/// their schedules in memory, and delivers each due tick to the grain (<see cref="IRemindable.ReceiveReminder"/>),
/// then records the delivered tick durably. Registration changes go to the table first and to the schedule after
/// they are durable.
/// </summary>
/// <remarks>
/// <para>
/// Delivery is at least once: a tick is recorded only after <c>ReceiveReminder</c> returned (or failed with a grain
/// error), so a tick in flight when the silo dies is delivered again after the restart. The catch-up rule is in
/// <see cref="ReminderSchedule"/>: missed ticks are delivered once.
/// </para>
/// <para>
/// Ownership: without an <see cref="IReminderPartitionOwnership"/> this silo serves every partition. A cluster's
/// ownership acquires a partition when the silo starts serving it and releases it (no new tick starts, the ticks in
/// flight end and are recorded) before its data moves; every row of a partition lives in that partition's stream, so it
/// moves with it (docs/reminders.md). A registration for a partition not acquired here is written to the table and
/// scheduled by whichever silo acquires the partition.
/// </para>
/// <para>
/// Threading: one lock guards the schedule; table writes of one partition that must follow each other (register,
/// unregister) hold that partition's gate across the write and the schedule update. One <see cref="ITimer"/> of the
/// runtime's <see cref="TimeProvider"/> is armed for the earliest tick.
/// </para>
/// </remarks>
internal sealed partial class ReminderService : IHostedService, ISiloAbruptStopParticipant, IReminderPartitionHandler, IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<(GrainId, string), LocalReminder> _reminders = [];
    private readonly PriorityQueue<(LocalReminder Reminder, int Generation), DateTime> _queue = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, SemaphoreSlim> _partitionGates = new();
    private readonly HashSet<int> _acquired = [];
    private readonly Dictionary<int, int> _inFlightByPartition = [];
    private readonly Dictionary<int, TaskCompletionSource> _partitionDrained = [];
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly IReminderTable _table;
    private readonly IReminderPartitioner _partitioner;
    private readonly IReminderPartitionOwnership? _ownership;
    private readonly GrainRuntime _runtime;
    private readonly ReminderOptions _options;
    private readonly ITimer _timer;
    private int _inFlight;
    private TaskCompletionSource? _drained;
    private bool _stopped;

    public ReminderService(IReminderTable table, IReminderPartitioner partitioner, GrainRuntime runtime, IOptions<ReminderOptions> options, IReminderPartitionOwnership? ownership = null)
    {
        _table = table;
        _partitioner = partitioner;
        _ownership = ownership;
        _runtime = runtime;
        _options = options.Value;
        using (ExecutionContext.SuppressFlow())
        {
            _timer = runtime.TimeProvider.CreateTimer(static s => ((ReminderService)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        runtime.Instruments.ObserveReminders(() => Volatile.Read(ref _registered), () => Volatile.Read(ref _inFlight));
    }

    /// <summary>The options in force (the registry validates periods against them).</summary>
    public ReminderOptions Options => _options;

    private DateTime UtcNow => _runtime.TimeProvider.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Starts scheduling: loads every partition's rows, or, with an <see cref="IReminderPartitionOwnership"/> (a cluster),
    /// attaches to it and loads each partition when this silo acquires it.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_ownership is not null)
        {
            _ownership.Attach(this);
            _loaded.TrySetResult();
            return;
        }

        try
        {
            for (int partition = 0; partition < _partitioner.PartitionCount; partition++)
            {
                await AcquireAsync(partition, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            _loaded.TrySetException(new ReminderException($"The reminder service could not load its reminders: {ex.Message}", ex));
            throw;
        }

        _runtime.Log.RemindersLoaded(_reminders.Count, _partitioner.PartitionCount);
        _loaded.TrySetResult();
    }

    /// <inheritdoc />
    public async Task AcquireAsync(int partition, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = PartitionGate(partition);
        await gate.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                if (_stopped || _acquired.Contains(partition))
                {
                    return;
                }
            }

            // What the table cached of the partition may predate a time another silo served it.
            _table.ForgetPartition(partition);
            IReadOnlyList<ReminderEntry> rows = await _table.ReadPartitionAsync(partition, cancellationToken);
            lock (_lock)
            {
                _acquired.Add(partition);
                foreach (ReminderEntry row in rows)
                {
                    ApplyLocked(row.GrainId, row.ReminderName, row.StartAt, row.Period, row.ETag, row.LastTickTime);
                }

                ArmLocked();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(int partition, CancellationToken cancellationToken)
    {
        Task drained = Task.CompletedTask;
        SemaphoreSlim gate = PartitionGate(partition);
        await gate.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                if (!_acquired.Remove(partition))
                {
                    return;
                }

                foreach (LocalReminder local in _reminders.Values.Where(r => _partitioner.GetPartition(r.GrainId) == partition).ToList())
                {
                    local.Removed = true;
                    _reminders.Remove((local.GrainId, local.Name));
                    Interlocked.Decrement(ref _registered);
                }

                if (_inFlightByPartition.GetValueOrDefault(partition) > 0)
                {
                    TaskCompletionSource waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    _partitionDrained[partition] = waiter;
                    drained = waiter.Task;
                }

                ArmLocked();
            }
        }
        finally
        {
            gate.Release();
        }

        // Outside the gate: a tick being delivered may register or unregister a reminder of its own partition.
        await drained.WaitAsync(cancellationToken);
        _table.ForgetPartition(partition);
    }

    /// <summary>Graceful stop: no new tick starts; waits for the ticks being delivered (their outcome is recorded).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task drained = Halt();
        await drained.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Abrupt stop: no further tick starts or is recorded.</summary>
    public ValueTask AbandonAsync()
    {
        _ = Halt();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _timer.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Registers or replaces a reminder: durable in the table first, then scheduled.</summary>
    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period)
    {
        await _loaded.Task;
        DateTime startAt = UtcNow + dueTime;
        int partition = _partitioner.GetPartition(grainId);
        SemaphoreSlim gate = PartitionGate(partition);
        await gate.WaitAsync();
        try
        {
            string eTag = await WriteAsync(() => _table.UpsertRowAsync(grainId, name, startAt, period, CancellationToken.None), "register", grainId, name);
            lock (_lock)
            {
                // A partition this silo does not serve now schedules its durable row when it is acquired (here or elsewhere).
                if (_acquired.Contains(partition))
                {
                    ApplyLocked(grainId, name, startAt, period, eTag, lastTickTime: null);
                    ArmLocked();
                }
            }

            return new ReminderHandle(grainId, name, eTag);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes a registration; a stale handle (the reminder was registered again) fails with <see cref="ReminderException"/>.</summary>
    public async Task UnregisterAsync(GrainId grainId, IGrainReminder reminder)
    {
        if (reminder is not ReminderHandle handle || handle.GrainId != grainId)
        {
            throw new ArgumentException($"The reminder handle '{reminder.ReminderName}' was not issued to grain {grainId} by this silo's reminder service.", nameof(reminder));
        }

        await _loaded.Task;
        SemaphoreSlim gate = PartitionGate(_partitioner.GetPartition(grainId));
        await gate.WaitAsync();
        try
        {
            bool removed = await WriteAsync(() => _table.RemoveRowAsync(grainId, handle.ReminderName, handle.ETag, CancellationToken.None), "unregister", grainId, handle.ReminderName);
            if (!removed && await _table.ReadRowAsync(grainId, handle.ReminderName, CancellationToken.None) is { } current)
            {
                throw new ReminderException(
                    $"Cannot unregister reminder '{handle.ReminderName}' of grain {grainId}: the handle names registration {handle.ETag}, but the reminder was registered again since (now {current.ETag}). Get a current handle with GetReminder.");
            }

            lock (_lock)
            {
                if (_reminders.Remove((grainId, handle.ReminderName), out LocalReminder? local))
                {
                    local.Removed = true;
                    Interlocked.Decrement(ref _registered);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The current registration of a reminder, or null.</summary>
    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string name)
    {
        await _loaded.Task;
        return await _table.ReadRowAsync(grainId, name, CancellationToken.None) is { } row ? ReminderHandle.From(row) : null;
    }

    /// <summary>Every current registration of a grain.</summary>
    public async Task<List<IGrainReminder>> GetAllAsync(GrainId grainId)
    {
        await _loaded.Task;
        IReadOnlyList<ReminderEntry> rows = await _table.ReadRowsAsync(grainId, CancellationToken.None);
        return [.. rows.Select(ReminderHandle.From)];
    }

    private static async Task<T> WriteAsync<T>(Func<Task<T>> write, string operation, GrainId grainId, string name)
    {
        try
        {
            return await write();
        }
        catch (Exception ex) when (ex is not ReminderException)
        {
            throw new ReminderException($"Could not {operation} reminder '{name}' of grain {grainId}: the reminder table failed ({ex.GetType().Name}: {ex.Message}); the outcome is unknown, retry.", ex);
        }
    }

    private SemaphoreSlim PartitionGate(int partition) => _partitionGates.GetOrAdd(partition, static _ => new SemaphoreSlim(1, 1));

    private void ApplyLocked(GrainId grainId, string name, DateTime startAt, TimeSpan period, string eTag, DateTime? lastTickTime)
    {
        if (!_reminders.TryGetValue((grainId, name), out LocalReminder? local))
        {
            local = new LocalReminder(grainId, name);
            _reminders.Add((grainId, name), local);
            Interlocked.Increment(ref _registered);
        }

        local.Apply(startAt, period, eTag, lastTickTime);
        _queue.Enqueue((local, local.Generation), local.NextTick);
    }

    private Task Halt()
    {
        lock (_lock)
        {
            if (!_stopped)
            {
                _stopped = true;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _stopping.Cancel();
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_inFlight == 0)
                {
                    _drained.TrySetResult();
                }
            }

            return _drained!.Task;
        }
    }
}
