using Actors.Client;

namespace Actors.ClientDemo;

/// <summary>Turns the client's typed connection errors into one line that says what went wrong and how to fix it.</summary>
internal static class ConnectionProblem
{
    /// <summary>The line for <paramref name="error"/>, or null when it is not a connection problem (then it is a bug: let it surface).</summary>
    public static string? Describe(Exception error, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(options);
        string secretSource = options.Secret is null ? "no secret was given" : "the secret given was refused";
        return error switch
        {
            GatewayRejectedException rejected when rejected.Reason.Contains("secret", StringComparison.OrdinalIgnoreCase) =>
                $"the silo gateway at {rejected.Endpoint} refused the connection: {rejected.Reason} ({secretSource}). "
                + "Fix: pass the silo's Actors:Gateway:Secret with --secret (or ACTORS__CLIENT__SECRET).",
            GatewayRejectedException rejected =>
                $"the silo gateway at {rejected.Endpoint} refused the connection: {rejected.Reason}. Fix: use a client and silo of the same version.",
            GatewayUnavailableException unavailable =>
                $"no silo gateway answered at {string.Join(", ", unavailable.Endpoints)} after {unavailable.Attempts} attempt(s)"
                + (unavailable.InnerException is { } inner ? $" ({inner.Message})" : "")
                + ". Fix: check --gateway host:port (or ACTORS__CLIENT__GATEWAYS__0) against the silo's Actors:Gateway:Port (default 30000) and that the silo runs.",
            TimeoutException timeout when timeout.Message.Contains("gateway", StringComparison.OrdinalIgnoreCase) =>
                $"{timeout.Message} Fix: check that the address is a silo gateway (not its HTTP port) and that the network lets it through.",
            Microsoft.Extensions.Options.OptionsValidationException invalid =>
                $"{invalid.Message} Fix: --gateway takes host:port, e.g. 127.0.0.1:30000.",
            FileNotFoundException missing when missing.FileName?.EndsWith("Actors.Silo.dll", StringComparison.Ordinal) == true =>
                $"{missing.Message} This build of the demo has no silo next to it (the container image has none): run it with --gateway host:port against a running silo.",
            _ => null,
        };
    }
}
