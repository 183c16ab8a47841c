using Actors.Invocation;

namespace Actors.Hosting.Gateway;

/// <summary>A request read off the wire: the call ready to run, or the error its response will carry.</summary>
/// <param name="Call">The call (null when <paramref name="Error"/> is set).</param>
/// <param name="Cancelled">The token the client cancels with a Cancel frame for the call's own cancellation id.</param>
/// <param name="Error">Why the request cannot run (unknown method, argument count, unreadable argument).</param>
internal readonly record struct PreparedRequest(GrainCallRequest? Call, CancellationToken Cancelled, Exception? Error);
