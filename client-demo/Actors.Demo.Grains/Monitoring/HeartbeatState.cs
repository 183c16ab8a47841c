namespace Actors.Demo.Grains.Monitoring;

/// <summary>The persistent state of a heartbeat grain.</summary>
public sealed class HeartbeatState
{
    /// <summary>Reminder ticks recorded.</summary>
    public long Beats { get; set; }

    /// <summary>The latest recorded tick's delivery time (UTC).</summary>
    public DateTime? LastBeat { get; set; }
}
