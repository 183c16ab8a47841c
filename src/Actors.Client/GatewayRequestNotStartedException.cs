namespace Actors.Client;

/// <summary>
/// Internal signal: a request certainly did not run (it was never sent, or the silo said Goodbye without answering it),
/// so the invoker may send it again on a new connection.
/// </summary>
internal sealed class GatewayRequestNotStartedException(string endpoint, string reason)
    : Exception($"The request was not started by the silo gateway at {endpoint} ({reason}).")
{
    public string Endpoint { get; } = endpoint;

    public string Reason { get; } = reason;
}
