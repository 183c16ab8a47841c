namespace Actors;

/// <summary>
/// Lets an activation of the grain class interleave requests: while one request awaits, another may start.
/// Turns still never run in parallel (each activation has a single-threaded scheduler).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}
