using System.Collections.Immutable;
using Orleans;
using Orleans.Concurrency;

namespace Presence.Grains;

/// <summary>Receives heartbeats from game servers and hands each to its game (many local workers).</summary>
public interface IPresenceGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task Heartbeat(HeartbeatData data);
}

/// <summary>A game, keyed by its id.</summary>
public interface IGameGrain : IGrainWithGuidKey
{
    Task UpdateGameStatus(GameStatus status);

    Task<ImmutableHashSet<Guid>> GetPlayers();

    Task<string> GetScore();

    Task<bool> HasEnded();

    /// <summary>Adds (or renews) a subscriber to score updates and the end of the game.</summary>
    Task ObserveGameUpdates(IGameObserver observer);

    Task UnobserveGameUpdates(IGameObserver observer);
}

/// <summary>A player, keyed by its id: which game it is in.</summary>
public interface IPlayerGrain : IGrainWithGuidKey
{
    Task<IGameGrain?> GetCurrentGame();

    Task JoinGame(IGameGrain game);

    Task LeaveGame(IGameGrain game);
}

/// <summary>A client watching a game.</summary>
public interface IGameObserver : IGrainObserver
{
    void UpdateGameScore(string score);

    void GameEnded(Guid game);
}
