namespace Actors.Orleans.ClientDemo.Verification;

/// <summary>A verification read kept failing with a retryable error until its deadline (<see cref="RetryingRead"/>).</summary>
public sealed class VerificationReadException(string message, Exception inner) : Exception(message, inner);
