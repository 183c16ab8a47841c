namespace Actors.Wire;

/// <summary>A decoded <see cref="GatewayFrameKind.Response"/> frame.</summary>
/// <param name="CorrelationId">The correlation id of the request answered.</param>
/// <param name="Status">Ok or error.</param>
/// <param name="Result">The serialized result (Ok only).</param>
/// <param name="ErrorType">The full type name of the exception (Error only).</param>
/// <param name="ErrorMessage">The exception message (Error only).</param>
public sealed record ResponseFrame(ulong CorrelationId, GatewayResponseStatus Status, byte[] Result, string ErrorType, string ErrorMessage);
