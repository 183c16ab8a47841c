namespace Actors.Placement;

/// <summary>Activates the grain on the Active silo chosen by a hash of its grain id over the silos sorted by name (stable while membership is).</summary>
public sealed class HashBasedPlacementAttribute : PlacementAttribute
{
}
