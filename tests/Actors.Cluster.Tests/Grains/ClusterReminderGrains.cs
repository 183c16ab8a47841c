using System.Collections.Concurrent;

namespace Actors.Cluster.Tests.Grains;

public interface IClusterReminderGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);
}

/// <summary>A remindable grain without durable state (partition-bound because it is remindable): reports each tick and the silo that delivered it.</summary>
public sealed class ClusterReminderGrain : Grain, IClusterReminderGrain, IRemindable
{
    public Task Register(string name, TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(name, dueTime, period);

    public Task ReceiveReminder(string reminderName, Runtime.TickStatus status)
    {
        ClusterTicks.Record($"{this.GetPrimaryKeyString()}/{reminderName}", ServiceProvider.GetRequiredService<IClusterView>().SiloName);
        return Task.CompletedTask;
    }
}

/// <summary>Every tick delivered by any silo of the (in-process) test clusters, in order, with the delivering silo; keys are unique per test.</summary>
public static class ClusterTicks
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Ticks = new();

    public static void Record(string key, string silo) => Ticks.GetOrAdd(key, static _ => new ConcurrentQueue<string>()).Enqueue(silo);

    public static int Count(string key) => Ticks.TryGetValue(key, out ConcurrentQueue<string>? ticks) ? ticks.Count : 0;

    /// <summary>The silos that delivered the ticks of <paramref name="key"/> after the first <paramref name="skip"/>.</summary>
    public static string[] SilosAfter(string key, int skip) => Ticks.TryGetValue(key, out ConcurrentQueue<string>? ticks) ? [.. ticks.Skip(skip)] : [];
}
