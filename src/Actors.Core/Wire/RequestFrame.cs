namespace Actors.Wire;

/// <summary>A decoded <see cref="GatewayFrameKind.Request"/> frame. Argument arrays are copies owned by the frame.</summary>
/// <param name="CorrelationId">Chosen by the client; echoed in the response.</param>
/// <param name="Target">The grain called.</param>
/// <param name="MethodKey">The <see cref="Invocation.GrainMethod.Key"/> of the method called.</param>
/// <param name="Headers">Flags, timeout, cancellation id, call chain and request context.</param>
/// <param name="Arguments">The serialized arguments in declaration order (each a serializer message of the parameter's declared type).</param>
public sealed record RequestFrame(ulong CorrelationId, GrainId Target, string MethodKey, RequestHeaders Headers, byte[][] Arguments);
