using System.Text.Json.Serialization;

namespace Actors.Runtime;

/// <summary>
/// The schedule of a reminder and the moment one of its ticks was delivered (Orleans' <c>TickStatus</c>). All times are UTC.
/// </summary>
/// <remarks>
/// The theoretical ticks are <c>FirstTickTime + n * Period</c>. A grain that must account for every interval (for
/// example after the silo was down, when the missed ticks are delivered as one) computes
/// <c>(CurrentTickTime - FirstTickTime) / Period</c> and compares it with the count it stored.
/// </remarks>
[GenerateSerializer, Alias("actors.tick-status")]
public readonly struct TickStatus : IEquatable<TickStatus>
{
    /// <summary>Creates a status.</summary>
    /// <param name="firstTickTime">When the first tick was due.</param>
    /// <param name="period">The reminder's period.</param>
    /// <param name="currentTickTime">When the silo initiated this delivery.</param>
    [JsonConstructor]
    public TickStatus(DateTime firstTickTime, TimeSpan period, DateTime currentTickTime)
    {
        FirstTickTime = firstTickTime;
        Period = period;
        CurrentTickTime = currentTickTime;
    }

    /// <summary>When the first tick was due (UTC).</summary>
    [Id(0)]
    public DateTime FirstTickTime { get; }

    /// <summary>The reminder's period.</summary>
    [Id(1)]
    public TimeSpan Period { get; }

    /// <summary>When the silo initiated the delivery of this tick (UTC).</summary>
    [Id(2)]
    public DateTime CurrentTickTime { get; }

    /// <summary>Compares two statuses field by field.</summary>
    public static bool operator ==(TickStatus left, TickStatus right) => left.Equals(right);

    /// <summary>Compares two statuses field by field.</summary>
    public static bool operator !=(TickStatus left, TickStatus right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(TickStatus other) => FirstTickTime == other.FirstTickTime && Period == other.Period && CurrentTickTime == other.CurrentTickTime;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TickStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FirstTickTime, Period, CurrentTickTime);

    /// <inheritdoc />
    public override string ToString() => $"<{FirstTickTime:O}, {Period}, {CurrentTickTime:O}>";
}
