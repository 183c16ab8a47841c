using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Utilities;

namespace Presence.Grains;

/// <summary>
/// A game: players and score in persistent state, watchers in an <see cref="ObserverManager{TObserver}"/>, and a
/// reminder that ends the game once heartbeats stop, also after a silo restart when the silo's reminder table is durable
/// (a timer would die with the activation).
/// </summary>
public sealed class GameGrain(
    [PersistentState("game", "PresenceStore")] IPersistentState<GameState> state,
    PresenceOptions options,
    TimeProvider clock,
    ILogger<GameGrain> logger) : Grain, IGameGrain, IRemindable
{
    /// <summary>The name of the expiry reminder.</summary>
    public const string ExpiryReminder = "game-expiry";

    private readonly ObserverManager<IGameObserver> _observers = new(TimeSpan.FromMinutes(5), logger);

    public async Task UpdateGameStatus(GameStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        bool first = state.State.LastHeartbeat == default || state.State.Ended;
        HashSet<Guid> joined = [.. status.Players.Except(state.State.Players)];
        HashSet<Guid> left = state.State.Ended ? [] : [.. state.State.Players.Except(status.Players)];
        state.State.Players = [.. status.Players];
        state.State.Score = status.Score;
        state.State.LastHeartbeat = clock.GetUtcNow();
        state.State.Ended = false;
        await state.WriteStateAsync();
        if (first)
        {
            await this.RegisterOrUpdateReminder(ExpiryReminder, options.ExpiryCheckPeriod, options.ExpiryCheckPeriod);
        }

        IGameGrain me = this.AsReference<IGameGrain>();
        await Task.WhenAll(joined.Select(p => GrainFactory.GetGrain<IPlayerGrain>(p).JoinGame(me))
            .Concat(left.Select(p => GrainFactory.GetGrain<IPlayerGrain>(p).LeaveGame(me))));
        _observers.Notify(o => o.UpdateGameScore(status.Score));
    }

    public Task<ImmutableHashSet<Guid>> GetPlayers() => Task.FromResult(state.State.Ended ? [] : state.State.Players.ToImmutableHashSet());

    public Task<string> GetScore() => Task.FromResult(state.State.Score);

    public Task<bool> HasEnded() => Task.FromResult(state.State.Ended);

    public Task ObserveGameUpdates(IGameObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnobserveGameUpdates(IGameObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder || clock.GetUtcNow() - state.State.LastHeartbeat < options.GameExpiry)
        {
            return;
        }

        if (!state.State.Ended)
        {
            IGameGrain me = this.AsReference<IGameGrain>();
            await Task.WhenAll(state.State.Players.Select(p => GrainFactory.GetGrain<IPlayerGrain>(p).LeaveGame(me)));
            state.State.Ended = true;
            await state.WriteStateAsync();
            _observers.Notify(o => o.GameEnded(this.GetPrimaryKey()));
        }

        IGrainReminder? reminder = await this.GetReminder(ExpiryReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
