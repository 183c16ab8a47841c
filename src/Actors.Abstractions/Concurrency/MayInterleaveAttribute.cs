namespace Actors.Concurrency;

/// <summary>
/// On a grain class (Orleans' <c>[MayInterleave]</c>): names a static predicate of the class,
/// <c>public static bool Name(IInvokable request)</c>, consulted when a request cannot otherwise start while another
/// runs: the request starts when the predicate is true for it, or for the request that is running.
/// </summary>
/// <param name="callbackMethodName">The predicate's name (use <c>nameof</c>).</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class MayInterleaveAttribute(string callbackMethodName) : Attribute
{
    /// <summary>The predicate's name.</summary>
    public string CallbackMethodName { get; } = callbackMethodName;
}
