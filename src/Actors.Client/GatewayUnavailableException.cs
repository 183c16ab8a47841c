namespace Actors.Client;

/// <summary>No silo gateway answered: every configured endpoint refused, timed out or was unreachable in every connect round.</summary>
public sealed class GatewayUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayUnavailableException(IReadOnlyList<string> endpoints, int attempts, Exception? lastError)
        : base($"No silo gateway answered at {string.Join(", ", endpoints)} after {attempts} connect attempt(s)"
            + (lastError is null ? "." : $": {lastError.Message}"), lastError)
    {
        Endpoints = endpoints;
        Attempts = attempts;
    }

    /// <summary>The endpoints tried.</summary>
    public IReadOnlyList<string> Endpoints { get; }

    /// <summary>The number of connect rounds made.</summary>
    public int Attempts { get; }
}
