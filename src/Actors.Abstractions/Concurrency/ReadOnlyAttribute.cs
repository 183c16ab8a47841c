namespace Actors.Concurrency;

/// <summary>
/// On a grain interface method (Orleans' <c>[ReadOnly]</c>): the method does not change the grain's state, so requests
/// for read-only methods may run interleaved with each other on a non-reentrant activation (never with other
/// requests).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute
{
}
