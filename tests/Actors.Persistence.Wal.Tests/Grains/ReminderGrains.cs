using System.Collections.Concurrent;

namespace Actors.Persistence.Wal.Tests.Grains;

public interface IWalReminderGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    Task Unregister(string name);
}

/// <summary>Registers reminders on request and reports every tick to the test's <see cref="TickRecorder"/>.</summary>
public sealed class WalReminderGrain(TickRecorder recorder) : Grain, IWalReminderGrain, IRemindable
{
    public Task Register(string name, TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task Unregister(string name) => await this.UnregisterReminder((await this.GetReminder(name))!);

    public Task ReceiveReminder(string reminderName, Runtime.TickStatus status)
    {
        recorder.Record($"{GetPrimaryKeyString()}/{reminderName}");
        return Task.CompletedTask;
    }
}

/// <summary>Counts ticks per grain and reminder; outlives silo restarts (one instance per test).</summary>
public sealed class TickRecorder
{
    private readonly ConcurrentDictionary<string, int> _ticks = new();

    public void Record(string key) => _ticks.AddOrUpdate(key, 1, (_, n) => n + 1);

    public int Count(string key) => _ticks.GetValueOrDefault(key);
}

public interface ISoakReminderGrain : IGrainWithIntegerKey
{
    Task Register(TimeSpan dueTime, TimeSpan period);
}

/// <summary>Reports each tick's lateness (receipt time minus the schedule point it stands for) to the <see cref="LatenessRecorder"/>.</summary>
public sealed class SoakReminderGrain(LatenessRecorder recorder, TimeProvider time) : Grain, ISoakReminderGrain, IRemindable
{
    public Task Register(TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder("soak", dueTime, period);

    public Task ReceiveReminder(string reminderName, Runtime.TickStatus status)
    {
        DateTime received = time.GetUtcNow().UtcDateTime;
        long periods = (status.CurrentTickTime - status.FirstTickTime).Ticks / status.Period.Ticks;
        DateTime point = status.FirstTickTime + TimeSpan.FromTicks(periods * status.Period.Ticks);
        recorder.Record(this.GetPrimaryKeyLong(), periods, received - point);
        return Task.CompletedTask;
    }
}

/// <summary>Every tick of the soak: which reminder, which schedule point, how late it arrived.</summary>
public sealed class LatenessRecorder(int reminders)
{
    private readonly ConcurrentBag<double> _latenessMs = [];
    private readonly int[] _ticks = new int[reminders];
    private readonly ConcurrentDictionary<(long, long), int> _points = new();

    public int Reminders => _ticks.Length;

    public IReadOnlyCollection<double> LatenessMs => _latenessMs;

    /// <summary>Ticks delivered for a schedule point that had already been delivered (at-least-once redeliveries).</summary>
    public int Duplicates => _points.Values.Sum(n => n - 1);

    public void Record(long reminder, long point, TimeSpan lateness)
    {
        Interlocked.Increment(ref _ticks[reminder]);
        _points.AddOrUpdate((reminder, point), 1, (_, n) => n + 1);
        _latenessMs.Add(lateness.TotalMilliseconds);
    }

    public int MinTicks() => _ticks.Min();
}
