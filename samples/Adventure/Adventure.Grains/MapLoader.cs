using Orleans;

namespace Adventure.Grains;

/// <summary>Puts a map into grains: every room gets its info, every monster is placed and starts wandering.</summary>
public static class MapLoader
{
    public static async Task LoadAsync(IGrainFactory grains, MapInfo map)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(map);
        await Task.WhenAll(map.Rooms.Select(room => grains.GetGrain<IRoomGrain>(room.Id).SetInfo(room)));
        await Task.WhenAll(map.Monsters.Select(monster => grains.GetGrain<IMonsterGrain>(monster.Id).SetInfo(monster)));
    }

    /// <summary>A player named <paramref name="name"/> standing in room <paramref name="startRoom"/>.</summary>
    public static async Task<IPlayerGrain> NewPlayerAsync(IGrainFactory grains, string name, long startRoom)
    {
        ArgumentNullException.ThrowIfNull(grains);
        IPlayerGrain player = grains.GetGrain<IPlayerGrain>(Guid.NewGuid());
        await player.SetName(name);
        await player.SetRoom(grains.GetGrain<IRoomGrain>(startRoom));
        return player;
    }
}
