using System.Collections.Immutable;
using System.Text;
using Orleans;

namespace Adventure.Grains;

/// <summary>A room: its description, exits, things, players and monsters (kept in memory; the map is loaded at startup).</summary>
public sealed class RoomGrain : Grain, IRoomGrain
{
    private readonly List<PlayerInfo> _players = [];
    private readonly List<MonsterInfo> _monsters = [];
    private readonly List<Thing> _things = [];
    private RoomInfo? _info;

    public Task SetInfo(RoomInfo info)
    {
        _info = info;
        _things.Clear();
        _things.AddRange(info.Things);
        return Task.CompletedTask;
    }

    public Task<string> Describe(PlayerInfo viewer)
    {
        RoomInfo info = Info;
        var text = new StringBuilder().Append(info.Name).Append(": ").Append(info.Description);
        AppendList(text, "You see", _things.Select(t => t.Name));
        AppendList(text, "Also here", _players.Where(p => p.Key != viewer.Key).Select(p => p.Name));
        AppendList(text, "Beware of", _monsters.Select(m => m.Name));
        AppendList(text, "Exits", info.Exits.Keys.Order(StringComparer.Ordinal));
        return Task.FromResult(text.ToString());
    }

    public Task<IRoomGrain?> ExitTo(string direction) => Task.FromResult(
        Info.Exits.TryGetValue(direction, out long id) ? GrainFactory.GetGrain<IRoomGrain>(id) : null);

    public Task<ImmutableList<string>> Exits() => Task.FromResult(Info.Exits.Keys.Order(StringComparer.Ordinal).ToImmutableList());

    public Task Enter(PlayerInfo player)
    {
        _players.RemoveAll(p => p.Key == player.Key);
        _players.Add(player);
        return Task.CompletedTask;
    }

    public Task Exit(PlayerInfo player)
    {
        _players.RemoveAll(p => p.Key == player.Key);
        return Task.CompletedTask;
    }

    public Task EnterMonster(MonsterInfo monster)
    {
        _monsters.RemoveAll(m => m.Id == monster.Id);
        _monsters.Add(monster);
        return Task.CompletedTask;
    }

    public Task ExitMonster(MonsterInfo monster)
    {
        _monsters.RemoveAll(m => m.Id == monster.Id);
        return Task.CompletedTask;
    }

    public Task<ImmutableList<MonsterInfo>> Monsters() => Task.FromResult(_monsters.ToImmutableList());

    public Task Drop(Thing thing)
    {
        _things.Add(thing);
        return Task.CompletedTask;
    }

    public Task<Thing?> Take(string name)
    {
        Thing? thing = _things.Find(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        if (thing is not null)
        {
            _things.Remove(thing);
        }

        return Task.FromResult(thing);
    }

    private RoomInfo Info => _info ?? throw new InvalidOperationException($"Room {this.GetPrimaryKeyLong()} is not on the map (load the map first).");

    private static void AppendList(StringBuilder text, string label, IEnumerable<string> items)
    {
        string joined = string.Join(", ", items);
        if (joined.Length > 0)
        {
            text.Append(". ").Append(label).Append(": ").Append(joined);
        }
    }
}
