namespace Actors.Concurrency;

/// <summary>
/// On a grain interface method returning <c>Task</c> or <c>ValueTask</c> (Orleans' <c>[OneWay]</c>): the caller does not
/// wait for the grain: the call completes as soon as it is sent, and the grain's outcome (including an exception) is
/// not reported back. A method returning a value cannot be one-way.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute
{
}
