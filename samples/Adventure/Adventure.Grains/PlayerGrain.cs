using Orleans;

namespace Adventure.Grains;

/// <summary>A player: where it is, what it carries, and the command interpreter.</summary>
/// <remarks>Named explicitly: Orleans names a grain type after its class, and the Presence sample has a <c>PlayerGrain</c> too.</remarks>
[GrainType("adventure.player")]
public sealed class PlayerGrain : Grain, IPlayerGrain
{
    private static readonly HashSet<string> Directions = new(StringComparer.OrdinalIgnoreCase) { "north", "south", "east", "west", "up", "down" };

    private readonly List<Thing> _things = [];
    private IRoomGrain? _room;
    private string _name = "nobody";
    private bool _killed;

    private PlayerInfo Me => new(this.GetPrimaryKey(), _name);

    public Task SetName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return Task.CompletedTask;
    }

    public async Task SetRoom(IRoomGrain room)
    {
        _room = room;
        await room.Enter(Me);
    }

    public async Task<string> Play(string command)
    {
        if (_killed)
        {
            return "You are dead.";
        }

        if (_room is null)
        {
            return "You are nowhere: the game has not placed you in a room.";
        }

        string[] words = command.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string verb = words.Length > 0 ? words[0].ToLowerInvariant() : string.Empty;
        string rest = words.Length > 1 ? words[1] : string.Empty;
        return verb switch
        {
            "look" => await _room.Describe(Me),
            "go" => await Go(rest),
            _ when Directions.Contains(verb) => await Go(verb),
            "take" => await Take(rest),
            "drop" => await Drop(rest),
            "inv" or "inventory" => _things.Count == 0 ? "You carry nothing." : "You carry: " + string.Join(", ", _things.Select(t => t.Name)),
            "kill" => await Kill(rest),
            "end" => await End(),
            _ => "I don't understand.",
        };
    }

    private async Task<string> Go(string direction)
    {
        IRoomGrain? next = await _room!.ExitTo(direction.ToLowerInvariant());
        if (next is null)
        {
            return "You cannot go that way.";
        }

        await _room.Exit(Me);
        await SetRoom(next);
        return await next.Describe(Me);
    }

    private async Task<string> Take(string name)
    {
        Thing? thing = await _room!.Take(name);
        if (thing is null)
        {
            return $"There is no {name} here.";
        }

        _things.Add(thing);
        return $"Taken: {thing.Name}.";
    }

    private async Task<string> Drop(string name)
    {
        Thing? thing = _things.Find(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        if (thing is null)
        {
            return $"You do not carry {name}.";
        }

        _things.Remove(thing);
        await _room!.Drop(thing);
        return $"Dropped: {thing.Name}.";
    }

    private async Task<string> Kill(string name)
    {
        MonsterInfo? monster = (await _room!.Monsters()).Find(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (monster is null)
        {
            return $"There is no {name} here.";
        }

        if (!_things.Exists(t => t.Category == "weapon"))
        {
            _killed = true;
            await _room.Exit(Me);
            return $"With your bare hands? The {monster.Name} kills you.";
        }

        return await GrainFactory.GetGrain<IMonsterGrain>(monster.Id).Kill(_room);
    }

    private async Task<string> End()
    {
        await _room!.Exit(Me);
        _room = null;
        DeactivateOnIdle();
        return "Goodbye.";
    }
}
