namespace Actors.Placement;

/// <summary>
/// The base of the placement attributes: which silo of a cluster activates a grain of the class when it has no
/// activation yet. Without one, placement is random (Orleans' default). A single silo ignores it. A grain whose state is
/// in a write-ahead-log store always activates on its partition's owner (where its log is), whatever the attribute says.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public abstract class PlacementAttribute : Attribute
{
}
