using Actors.Persistence.Wal;
using Actors.Runtime;
using Actors.Storage;

namespace Actors.Demo.Grains.Monitoring;

/// <summary>
/// A heartbeat kept by a reminder: every tick increments a counter in the grain's write-ahead-log state, so the count
/// survives restarts and kills, and the reminder keeps beating after a restart without anyone calling the grain.
/// </summary>
[GrainType("heartbeat")]
[WriteAheadLog]
public sealed class HeartbeatGrain([PersistentState("heartbeat")] IPersistentState<HeartbeatState> state) : Grain, IHeartbeatGrain, IRemindable
{
    private const string ReminderName = "heartbeat";

    /// <inheritdoc />
    public Task Start(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, TimeSpan.Zero, period);

    /// <inheritdoc />
    public async Task Stop()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <inheritdoc />
    public async Task<HeartbeatStatus> GetStatus()
        => new(state.State.Beats, state.State.LastBeat, await this.GetReminder(ReminderName) is not null);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Beats++;
        state.State.LastBeat = status.CurrentTickTime;
        await state.WriteStateAsync();
    }
}
