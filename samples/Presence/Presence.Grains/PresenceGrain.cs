using Orleans;
using Orleans.Concurrency;

namespace Presence.Grains;

/// <summary>A stateless front door for heartbeats: any local worker forwards a heartbeat to its game.</summary>
[StatelessWorker]
public sealed class PresenceGrain : Grain, IPresenceGrain
{
    public Task Heartbeat(HeartbeatData data) => GrainFactory.GetGrain<IGameGrain>(data.Game).UpdateGameStatus(data.Status);
}
