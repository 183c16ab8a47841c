using System.Net;
using Microsoft.Extensions.Options;

namespace Actors.Silo;

/// <summary>Validates <see cref="SiloHealthOptions"/>; each failure names the setting.</summary>
public sealed class SiloHealthOptionsValidator : IValidateOptions<SiloHealthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloHealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{SiloHealthOptions.SectionName}:Port must be between 0 and 65535; it is {options.Port}.");
        }

        if (!IPAddress.TryParse(options.BindAddress ?? string.Empty, out _))
        {
            failures.Add($"{SiloHealthOptions.SectionName}:BindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0; it is '{options.BindAddress}'.");
        }

        if (string.IsNullOrEmpty(options.Path) || options.Path[0] != '/')
        {
            failures.Add($"{SiloHealthOptions.SectionName}:Path must start with '/'; it is '{options.Path}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
