using System.Collections.Immutable;
using Orleans;

namespace Adventure.Grains;

/// <summary>A thing lying in a room or carried by a player; <see cref="Category"/> "weapon" kills monsters.</summary>
[GenerateSerializer, Immutable]
public sealed record class Thing([property: Id(0)] string Name, [property: Id(1)] string Category);

/// <summary>A room of the map: its id, text, exits (direction to room id) and what lies in it at the start.</summary>
[GenerateSerializer, Immutable]
public sealed record class RoomInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] ImmutableDictionary<string, long> Exits,
    [property: Id(4)] ImmutableList<Thing> Things);

/// <summary>A monster of the map: it starts in <see cref="StartRoom"/> and wanders to a random exit every <see cref="MovePeriod"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record class MonsterInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] string Name,
    [property: Id(2)] long StartRoom,
    [property: Id(3)] TimeSpan MovePeriod);

/// <summary>A player as rooms see it.</summary>
[GenerateSerializer, Immutable]
public sealed record class PlayerInfo([property: Id(0)] Guid Key, [property: Id(1)] string Name);

/// <summary>The whole map: rooms and monsters.</summary>
[GenerateSerializer, Immutable]
public sealed record class MapInfo([property: Id(0)] ImmutableList<RoomInfo> Rooms, [property: Id(1)] ImmutableList<MonsterInfo> Monsters);
