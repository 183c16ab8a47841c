namespace Actors.Concurrency;

/// <summary>
/// On a grain class (Orleans' <c>[Reentrant]</c>): an activation of the class interleaves requests: while one request
/// awaits, another may start. On a grain interface method or a grain class's method (an Actors extension of Orleans,
/// which allows the class level only): that method's requests may start while others run, as with
/// <see cref="AlwaysInterleaveAttribute"/>. Turns still never run in parallel (each activation has a single-threaded
/// scheduler).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}
