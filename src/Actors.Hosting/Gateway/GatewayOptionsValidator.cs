using System.Net;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Gateway;

/// <summary>Validates <see cref="GatewayOptions"/> at startup. Every failure names the setting (<c>Actors:Gateway:Name</c>) and the bad value.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    private const string Section = "Actors:Gateway";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{Section}:{nameof(GatewayOptions.Port)} must be between 0 and 65535 (0 = ephemeral); it is {options.Port}.");
        }

        if (!IPAddress.TryParse(options.BindAddress ?? string.Empty, out _))
        {
            failures.Add($"{Section}:{nameof(GatewayOptions.BindAddress)} must be an IP address such as 127.0.0.1, 0.0.0.0 or ::; it is '{options.BindAddress}'.");
        }

        if (options.MaxFrameBytes is < GatewayOptions.MinMaxFrameBytes or > GatewayOptions.MaxMaxFrameBytes)
        {
            failures.Add($"{Section}:{nameof(GatewayOptions.MaxFrameBytes)} must be between {GatewayOptions.MinMaxFrameBytes} and {GatewayOptions.MaxMaxFrameBytes}; it is {options.MaxFrameBytes}.");
        }

        CheckPositive(failures, nameof(GatewayOptions.RequestTimeout), options.RequestTimeout);
        CheckPositive(failures, nameof(GatewayOptions.HandshakeTimeout), options.HandshakeTimeout);
        CheckPositive(failures, nameof(GatewayOptions.FrameReceiveTimeout), options.FrameReceiveTimeout);
        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{Section}:{nameof(GatewayOptions.DrainTimeout)} must be zero or positive and at most {TimeSpan.FromMilliseconds(int.MaxValue)}; it is {options.DrainTimeout}.");
        }

        if (options.MaxConcurrentRequestsPerConnection < 1)
        {
            failures.Add($"{Section}:{nameof(GatewayOptions.MaxConcurrentRequestsPerConnection)} must be at least 1; it is {options.MaxConcurrentRequestsPerConnection}.");
        }

        if (options.MaxConnections < 1)
        {
            failures.Add($"{Section}:{nameof(GatewayOptions.MaxConnections)} must be at least 1; it is {options.MaxConnections}.");
        }

        if (options.Tls is { Enabled: true } tls && (string.IsNullOrEmpty(tls.CertificatePath) || !File.Exists(tls.CertificatePath)))
        {
            failures.Add($"{Section}:Tls:{nameof(GatewayTlsOptions.CertificatePath)} must name an existing .pfx file when TLS is enabled; it is '{tls.CertificatePath}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPositive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{Section}:{setting} must be greater than zero and at most {TimeSpan.FromMilliseconds(int.MaxValue)}; it is {value}.");
        }
    }
}
