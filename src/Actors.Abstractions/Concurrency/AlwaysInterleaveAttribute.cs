namespace Actors.Concurrency;

/// <summary>
/// On a grain interface method (Orleans' <c>[AlwaysInterleave]</c>): a request for the method starts even while other
/// requests of a non-reentrant activation are running, and does not hold back the requests queued after it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute
{
}
