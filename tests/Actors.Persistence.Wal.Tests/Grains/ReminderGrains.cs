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
