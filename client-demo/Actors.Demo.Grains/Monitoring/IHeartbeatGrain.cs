namespace Actors.Demo.Grains.Monitoring;

/// <summary>A durable heartbeat: a reminder that counts its ticks in the grain's persistent state.</summary>
public interface IHeartbeatGrain : IGrainWithStringKey
{
    /// <summary>Registers (or re-registers) the heartbeat reminder with the given period; the first beat is due at once.</summary>
    Task Start(TimeSpan period);

    /// <summary>Unregisters the heartbeat reminder.</summary>
    Task Stop();

    /// <summary>The beats recorded so far.</summary>
    Task<HeartbeatStatus> GetStatus();
}
