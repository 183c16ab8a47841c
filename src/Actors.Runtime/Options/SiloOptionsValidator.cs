using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>Validates <see cref="SiloOptions"/> at host start; each failure names the setting and the bad value.</summary>
public sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SiloName))
        {
            failures.Add($"{nameof(SiloOptions)}.{nameof(SiloOptions.SiloName)} must not be empty.");
        }

        if (options.ResponseTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(SiloOptions)}.{nameof(SiloOptions.ResponseTimeout)} must be positive; got {options.ResponseTimeout}.");
        }

        if (options.CollectionAge <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(SiloOptions)}.{nameof(SiloOptions.CollectionAge)} must be positive; got {options.CollectionAge}.");
        }

        if (options.CollectionQuantum <= TimeSpan.Zero || options.CollectionQuantum > options.CollectionAge)
        {
            failures.Add($"{nameof(SiloOptions)}.{nameof(SiloOptions.CollectionQuantum)} must be positive and at most {nameof(SiloOptions.CollectionAge)} ({options.CollectionAge}); got {options.CollectionQuantum}.");
        }

        if (options.ShutdownGracePeriod < TimeSpan.Zero)
        {
            failures.Add($"{nameof(SiloOptions)}.{nameof(SiloOptions.ShutdownGracePeriod)} must not be negative; got {options.ShutdownGracePeriod}.");
        }

        if (options.StuckCallThreshold <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(SiloOptions)}.{nameof(SiloOptions.StuckCallThreshold)} must be positive; got {options.StuckCallThreshold}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
