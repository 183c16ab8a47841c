using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Unregisters through the handle of the first registration made by this activation.</summary>
    Task UnregisterFirst(string name);

    Task Unregister(string name);

    Task<bool> Exists(string name);

    Task<string[]> Names();

    Task<TickStatus[]> Ticks(string name);

    Task Deactivate();

    /// <summary>Makes the next ReceiveReminder calls throw.</summary>
    Task FailTicks(bool fail);
}

/// <summary>
/// Records <c>activate:{key}</c> and <c>reminder:{key}:{name}:{n}</c> per tick (n counts ticks of this activation's
/// process, kept in the probe so it survives reactivation).
/// </summary>
public class ReminderGrain(Probe probe, ReminderTickLog ticks) : Grain, IReminderGrain, IRemindable
{
    private readonly Dictionary<string, IGrainReminder> _first = [];
    private bool _fail;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record($"activate:{GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public async Task Register(string name, TimeSpan dueTime, TimeSpan period)
    {
        IGrainReminder reminder = await this.RegisterOrUpdateReminder(name, dueTime, period);
        _first.TryAdd(name, reminder);
    }

    public Task UnregisterFirst(string name) => this.UnregisterReminder(_first[name]);

    public async Task Unregister(string name) => await this.UnregisterReminder((await this.GetReminder(name))!);

    public async Task<bool> Exists(string name) => await this.GetReminder(name) is not null;

    public async Task<string[]> Names() => [.. (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal)];

    public Task<TickStatus[]> Ticks(string name) => Task.FromResult(ticks.For(GetPrimaryKeyString(), name));

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task FailTicks(bool fail)
    {
        _fail = fail;
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        int n = ticks.Add(GetPrimaryKeyString(), reminderName, status);
        probe.Record($"reminder:{GetPrimaryKeyString()}:{reminderName}:{n}");
        if (_fail)
        {
            throw new InvalidOperationException($"tick {n} of {reminderName} refused on purpose");
        }

        return Task.CompletedTask;
    }
}

/// <summary>Every tick delivered to reminder grains, across activations and silos of one test.</summary>
public sealed class ReminderTickLog
{
    private readonly Dictionary<(string, string), List<TickStatus>> _ticks = [];

    public int Add(string key, string name, TickStatus status)
    {
        lock (_ticks)
        {
            if (!_ticks.TryGetValue((key, name), out List<TickStatus>? list))
            {
                _ticks[(key, name)] = list = [];
            }

            list.Add(status);
            return list.Count;
        }
    }

    public TickStatus[] For(string key, string name)
    {
        lock (_ticks)
        {
            return _ticks.TryGetValue((key, name), out List<TickStatus>? list) ? [.. list] : [];
        }
    }
}

public interface IPlainGrain : IGrainWithStringKey
{
    Task Register();
}

/// <summary>Not remindable: registering a reminder must fail.</summary>
public sealed class PlainGrain : Grain, IPlainGrain
{
    public Task Register() => this.RegisterOrUpdateReminder("r", TimeSpan.Zero, TimeSpan.FromMinutes(1));
}
