namespace Actors.Cluster.Membership;

/// <summary>A silo's status in the membership table. Stored as its integer value: never renumber.</summary>
public enum SiloStatus
{
    /// <summary>Not a stored status (an unknown silo).</summary>
    None = 0,

    /// <summary>Serving: it renews its lease, may own partitions and directory ranges, and is a placement target.</summary>
    Active = 1,

    /// <summary>Leaving gracefully: it still serves what it has while it hands its partitions off; no new placements.</summary>
    ShuttingDown = 2,

    /// <summary>Left gracefully: it owns nothing it could serve and no longer renews its lease.</summary>
    Left = 3,

    /// <summary>Declared dead by another silo after its lease expired (by the store's clock); it must not serve.</summary>
    Dead = 4,
}
