using System.Collections.Immutable;
using Orleans;

namespace Presence.Grains;

/// <summary>What a game server reports about a game: who plays and the score.</summary>
[GenerateSerializer, Immutable]
public sealed record class GameStatus([property: Id(0)] ImmutableHashSet<Guid> Players, [property: Id(1)] string Score);

/// <summary>A game server's heartbeat for one game.</summary>
[GenerateSerializer, Immutable]
public sealed record class HeartbeatData([property: Id(0)] Guid Game, [property: Id(1)] GameStatus Status);

/// <summary>The presence service's settings (registered by the silo; the defaults suit production).</summary>
public sealed class PresenceOptions
{
    /// <summary>A game with no heartbeat for this long is over.</summary>
    public TimeSpan GameExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a game checks whether it expired (a reminder: it survives silo restarts when the silo's reminder table is durable).</summary>
    public TimeSpan ExpiryCheckPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The durable part of a game.</summary>
[GenerateSerializer]
public sealed class GameState
{
    [Id(0)]
    public HashSet<Guid> Players { get; set; } = [];

    [Id(1)]
    public string Score { get; set; } = string.Empty;

    [Id(2)]
    public DateTimeOffset LastHeartbeat { get; set; }

    [Id(3)]
    public bool Ended { get; set; }
}
