namespace Actors.Wire;

/// <summary>A decoded <see cref="GatewayFrameKind.Response"/> frame.</summary>
/// <param name="CorrelationId">The correlation id of the request answered.</param>
/// <param name="Status">Ok or error.</param>
/// <param name="Result">The serialized result (Ok only; empty for a method without result).</param>
/// <param name="Exception">The exception serialized as a value of type <see cref="System.Exception"/> (Error only; empty when it could not be serialized).</param>
/// <param name="ErrorType">The full type name of the exception (Error only): the fallback when <paramref name="Exception"/> cannot be read.</param>
/// <param name="ErrorMessage">The exception message (Error only).</param>
public sealed record ResponseFrame(ulong CorrelationId, GatewayResponseStatus Status, byte[] Result, byte[] Exception, string ErrorType, string ErrorMessage);
