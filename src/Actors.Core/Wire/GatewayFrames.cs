namespace Actors.Wire;

/// <summary>A decoded <see cref="GatewayFrameKind.Hello"/> frame.</summary>
/// <param name="ProtocolVersion">The client's protocol version.</param>
/// <param name="Secret">The shared secret the client presents; empty when it presents none.</param>
internal readonly record struct HelloFrame(ushort ProtocolVersion, string Secret);

/// <summary>A decoded <see cref="GatewayFrameKind.Request"/> frame. Argument arrays are copies owned by the frame.</summary>
/// <param name="CorrelationId">Chosen by the client; echoed in the response.</param>
/// <param name="Target">The grain called.</param>
/// <param name="MethodKey">The <see cref="Invocation.GrainMethod.Key"/> of the method called.</param>
/// <param name="Arguments">The serialized arguments in declaration order.</param>
internal sealed record RequestFrame(ulong CorrelationId, GrainId Target, string MethodKey, byte[][] Arguments);

/// <summary>A decoded <see cref="GatewayFrameKind.Response"/> frame.</summary>
/// <param name="CorrelationId">The correlation id of the request answered.</param>
/// <param name="Status">Ok or error.</param>
/// <param name="Result">The serialized result (Ok only).</param>
/// <param name="ErrorType">The full type name of the exception (Error only).</param>
/// <param name="ErrorMessage">The exception message (Error only).</param>
internal sealed record ResponseFrame(ulong CorrelationId, GatewayResponseStatus Status, byte[] Result, string ErrorType, string ErrorMessage);
