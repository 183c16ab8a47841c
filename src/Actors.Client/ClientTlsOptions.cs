namespace Actors.Client;

/// <summary>TLS to the gateways (they must enable <c>GatewayOptions.Tls</c>): the client checks the gateway's certificate.</summary>
public sealed class ClientTlsOptions
{
    /// <summary>Whether the client speaks TLS to its gateways. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// SHA-256 thumbprints (hex) of the gateway certificates to trust. Empty: the certificate's chain must validate against
    /// the machine's trusted roots and name <see cref="TargetHost"/> (or the gateway's host).
    /// </summary>
    public IList<string> AllowedServerThumbprints { get; set; } = [];

    /// <summary>The host name to expect in the gateway's certificate; null uses the host of each gateway endpoint.</summary>
    public string? TargetHost { get; set; }
}
