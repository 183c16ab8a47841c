using Orleans;
using Orleans.Runtime;

namespace Adventure.Grains;

/// <summary>
/// A monster wandering the map on a grain timer: every <see cref="MonsterInfo.MovePeriod"/> it leaves its room by a
/// random exit. <c>KeepAlive</c> keeps it active (and wandering) while no player calls it.
/// </summary>
public sealed class MonsterGrain : Grain, IMonsterGrain
{
    private MonsterInfo? _info;
    private IRoomGrain? _room;
    private IGrainTimer? _wandering;

    public async Task SetInfo(MonsterInfo info)
    {
        _info = info;
        await MoveTo(GrainFactory.GetGrain<IRoomGrain>(info.StartRoom));
        _wandering?.Dispose();
        _wandering = this.RegisterGrainTimer(Wander, new GrainTimerCreationOptions(info.MovePeriod, info.MovePeriod) { KeepAlive = true });
    }

    public Task<long> CurrentRoom() => Task.FromResult(_room?.GetPrimaryKeyLong() ?? -1);

    public async Task<string> Kill(IRoomGrain room)
    {
        if (_info is null || _room is null || _room.GetPrimaryKeyLong() != room.GetPrimaryKeyLong())
        {
            return "There is no such monster here.";
        }

        await _room.ExitMonster(_info);
        _room = null;
        _wandering?.Dispose();
        _wandering = null;
        DeactivateOnIdle();
        return $"{_info.Name} is dead.";
    }

    private async Task Wander(CancellationToken cancellationToken)
    {
        if (_room is null)
        {
            return;
        }

        var exits = await _room.Exits();
        if (exits.Count == 0)
        {
            return;
        }

        IRoomGrain? next = await _room.ExitTo(exits[Random.Shared.Next(exits.Count)]);
        if (next is not null)
        {
            await MoveTo(next);
        }
    }

    private async Task MoveTo(IRoomGrain room)
    {
        if (_room is not null)
        {
            await _room.ExitMonster(_info!);
        }

        _room = room;
        await room.EnterMonster(_info!);
    }
}
