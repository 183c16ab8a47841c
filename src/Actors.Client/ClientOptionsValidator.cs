using Microsoft.Extensions.Options;

namespace Actors.Client;

/// <summary>Validates <see cref="ClientOptions"/>. Every failure names the setting (<c>Actors:Client:Name</c>) and the bad value.</summary>
public sealed class ClientOptionsValidator : IValidateOptions<ClientOptions>
{
    private const string Section = "Actors:Client";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (string gateway in options.EffectiveGateways)
        {
            if (!GatewayEndPointParser.TryParse(gateway, out _))
            {
                failures.Add($"{Section}:{nameof(ClientOptions.Gateways)} entry '{gateway}' is not a host:port endpoint with a port between 1 and 65535.");
            }
        }

        CheckPositive(failures, nameof(ClientOptions.ResponseTimeout), options.ResponseTimeout);
        CheckPositive(failures, nameof(ClientOptions.ConnectTimeout), options.ConnectTimeout);
        if (options.ConnectRetryDelay < TimeSpan.Zero || options.ConnectRetryDelay.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{Section}:{nameof(ClientOptions.ConnectRetryDelay)} must be zero or positive and at most {TimeSpan.FromMilliseconds(int.MaxValue)}; it is {options.ConnectRetryDelay}.");
        }

        if (options.ConnectAttempts < 1)
        {
            failures.Add($"{Section}:{nameof(ClientOptions.ConnectAttempts)} must be at least 1; it is {options.ConnectAttempts}.");
        }

        if (options.MaxFrameBytes is < 1024 or > 256 * 1024 * 1024)
        {
            failures.Add($"{Section}:{nameof(ClientOptions.MaxFrameBytes)} must be between 1024 and {256 * 1024 * 1024}; it is {options.MaxFrameBytes}.");
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
