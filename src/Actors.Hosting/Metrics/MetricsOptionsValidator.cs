using Microsoft.Extensions.Options;

namespace Actors.Hosting.Metrics;

/// <summary>Validates <see cref="MetricsOptions"/>; each failure names the setting.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Path) || options.Path[0] != '/')
        {
            failures.Add($"{MetricsOptions.SectionName}:Path must start with '/'; it is '{options.Path}'.");
        }

        foreach (string meter in options.Meters)
        {
            if (string.IsNullOrWhiteSpace(meter) || meter == ".*")
            {
                failures.Add($"{MetricsOptions.SectionName}:Meters must hold meter names or prefixes ending in '.*' such as Actors.*; '{meter}' is not one.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
