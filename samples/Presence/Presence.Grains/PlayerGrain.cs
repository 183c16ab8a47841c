using Orleans;

namespace Presence.Grains;

/// <summary>A player: the game it is in (in memory; a game tells its players again on its next heartbeat).</summary>
/// <remarks>Named explicitly: Orleans names a grain type after its class, and the Adventure sample has a <c>PlayerGrain</c> too.</remarks>
[GrainType("presence.player")]
public sealed class PlayerGrain : Grain, IPlayerGrain
{
    private IGameGrain? _currentGame;

    public Task<IGameGrain?> GetCurrentGame() => Task.FromResult(_currentGame);

    public Task JoinGame(IGameGrain game)
    {
        _currentGame = game;
        return Task.CompletedTask;
    }

    public Task LeaveGame(IGameGrain game)
    {
        if (_currentGame is not null && _currentGame.GetPrimaryKey() == game.GetPrimaryKey())
        {
            _currentGame = null;
        }

        return Task.CompletedTask;
    }
}
