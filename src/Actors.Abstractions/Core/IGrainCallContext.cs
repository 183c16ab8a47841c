using System.Reflection;
using Actors.Invocation;
using Actors.Runtime;

namespace Actors;

/// <summary>
/// One grain call as a call filter sees it (Orleans' <c>IGrainCallContext</c>): the request, the grains involved, the
/// result, and <see cref="Invoke"/>, which runs the next filter or, after the last one, the call itself.
/// </summary>
public interface IGrainCallContext
{
    /// <summary>The called method and its arguments (filters may replace arguments before calling <see cref="Invoke"/>).</summary>
    IInvokable Request { get; }

    /// <summary>The grain instance (incoming) or the reference called (outgoing).</summary>
    object Grain { get; }

    /// <summary>The calling grain, or null when the call comes from a client or from silo code outside grains.</summary>
    GrainId? SourceId { get; }

    /// <summary>The called grain.</summary>
    GrainId TargetId { get; }

    /// <summary>The interface that declares the called method.</summary>
    Type InterfaceType { get; }

    /// <summary>The full name of <see cref="InterfaceType"/>.</summary>
    string InterfaceName { get; }

    /// <summary>The called method's name.</summary>
    string MethodName { get; }

    /// <summary>The interface method.</summary>
    MethodInfo InterfaceMethod { get; }

    /// <summary>The call's result once <see cref="Invoke"/> completed (null for methods without one); a filter may replace it.</summary>
    object? Result { get; set; }

    /// <summary>
    /// Runs the next filter, or the call after the last one. A filter that does not call it stops the call: the caller
    /// gets <see cref="Result"/>. An exception from the call propagates out of it (a filter may catch it).
    /// </summary>
    Task Invoke();
}
