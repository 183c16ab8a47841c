using System.Collections.Immutable;
using Orleans;

namespace Adventure.Grains;

/// <summary>A room, keyed by its map id.</summary>
public interface IRoomGrain : IGrainWithIntegerKey
{
    Task SetInfo(RoomInfo info);

    /// <summary>What <paramref name="viewer"/> sees: the room, its things, the other players and the monsters in it.</summary>
    Task<string> Describe(PlayerInfo viewer);

    /// <summary>The room <paramref name="direction"/> leads to, or null.</summary>
    Task<IRoomGrain?> ExitTo(string direction);

    Task<ImmutableList<string>> Exits();

    Task Enter(PlayerInfo player);

    Task Exit(PlayerInfo player);

    Task EnterMonster(MonsterInfo monster);

    Task ExitMonster(MonsterInfo monster);

    Task<ImmutableList<MonsterInfo>> Monsters();

    Task Drop(Thing thing);

    /// <summary>Removes and returns the thing called <paramref name="name"/>, or null.</summary>
    Task<Thing?> Take(string name);
}

/// <summary>A player, keyed by a Guid.</summary>
public interface IPlayerGrain : IGrainWithGuidKey
{
    Task SetName(string name);

    Task SetRoom(IRoomGrain room);

    /// <summary>Runs one command (look, go DIR or a bare direction, take X, drop X, inv, kill X, end) and returns what the player sees.</summary>
    Task<string> Play(string command);
}

/// <summary>A monster, keyed by its map id; it wanders on a grain timer.</summary>
public interface IMonsterGrain : IGrainWithIntegerKey
{
    /// <summary>Places the monster in its start room and starts its wandering timer.</summary>
    Task SetInfo(MonsterInfo info);

    /// <summary>The id of the room the monster is in (-1 when dead or not placed).</summary>
    Task<long> CurrentRoom();

    /// <summary>Kills the monster if it is in <paramref name="room"/>; returns what happened.</summary>
    Task<string> Kill(IRoomGrain room);
}
