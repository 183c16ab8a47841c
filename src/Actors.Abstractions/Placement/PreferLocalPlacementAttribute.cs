namespace Actors.Placement;

/// <summary>Activates the grain on the silo that first calls it (the caller's silo, or the gateway's for a client), when that silo is Active; else randomly.</summary>
public sealed class PreferLocalPlacementAttribute : PlacementAttribute
{
}
