using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>Validates <see cref="ReminderOptions"/> at silo start; each failure names the setting and the bad value.</summary>
public sealed class ReminderOptionsValidator : IValidateOptions<ReminderOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MinimumReminderPeriod <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(ReminderOptions)}.{nameof(ReminderOptions.MinimumReminderPeriod)} must be positive; got {options.MinimumReminderPeriod}.");
        }

        if (options.PartitionCount is < 1 or > ReminderOptions.MaxPartitionCount)
        {
            failures.Add($"{nameof(ReminderOptions)}.{nameof(ReminderOptions.PartitionCount)} must be between 1 and {ReminderOptions.MaxPartitionCount}; got {options.PartitionCount}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
