namespace Actors.Placement;

/// <summary>Activates the grain on a random Active silo (the default).</summary>
public sealed class RandomPlacementAttribute : PlacementAttribute
{
}
