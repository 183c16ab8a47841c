namespace Actors.Demo.Grains.Monitoring;

/// <summary>What a heartbeat grain has recorded.</summary>
/// <param name="Beats">Reminder ticks recorded durably.</param>
/// <param name="LastBeat">When the silo started delivering the latest recorded tick (UTC), or null.</param>
/// <param name="Running">Whether the heartbeat reminder is registered.</param>
[GenerateSerializer, Alias("demo.heartbeat-status")]
public sealed record HeartbeatStatus(long Beats, DateTime? LastBeat, bool Running);
