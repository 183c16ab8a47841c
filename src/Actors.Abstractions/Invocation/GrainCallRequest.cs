namespace Actors.Invocation;

/// <summary>One grain call: which grain, which interface method, and the arguments.</summary>
/// <param name="Target">The grain called.</param>
/// <param name="Method">The interface method called.</param>
/// <param name="Arguments">The arguments in declaration order (length = the method's parameter count).</param>
public sealed record GrainCallRequest(GrainId Target, GrainMethod Method, object?[] Arguments);
