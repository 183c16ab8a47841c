using Microsoft.Extensions.Options;

namespace Actors.Hosting.Dashboard;

/// <summary>Validates <see cref="DashboardOptions"/>; each failure names the setting.</summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Path) || options.Path[0] != '/' || (options.Path.Length > 1 && options.Path[^1] == '/'))
        {
            failures.Add($"{DashboardOptions.SectionName}:Path must start with '/' and not end with '/'; it is '{options.Path}'.");
        }

        if (options.RefreshInterval < TimeSpan.FromMilliseconds(100) || options.RefreshInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{DashboardOptions.SectionName}:RefreshInterval must be between 00:00:00.1 and 00:01:00; it is {options.RefreshInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
