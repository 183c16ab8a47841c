using Microsoft.Extensions.Options;

namespace Actors.Streams;

/// <summary>Validates <see cref="StreamProviderOptions"/> at silo start; each failure names the provider and the setting.</summary>
internal sealed class StreamProviderOptionsValidator : IValidateOptions<StreamProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamProviderOptions options)
    {
        var failures = new List<string>();
        string prefix = $"Stream provider '{name}': StreamProviderOptions.";
        if (string.IsNullOrEmpty(options.StoreName))
        {
            failures.Add($"{prefix}StoreName must not be empty.");
        }

        Positive(options.MaxBatchSize, nameof(options.MaxBatchSize));
        Positive(options.MaxDeliveryAttempts, nameof(options.MaxDeliveryAttempts));
        Positive(options.TrimEveryEvents, nameof(options.TrimEveryEvents));
        Positive(options.TableCheckpointEveryEvents, nameof(options.TableCheckpointEveryEvents));
        if (options.DeliveryRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}DeliveryRetryDelay must be positive; got {options.DeliveryRetryDelay}.");
        }

        if (options.MaxDeliveryRetryDelay < options.DeliveryRetryDelay)
        {
            failures.Add($"{prefix}MaxDeliveryRetryDelay must be at least DeliveryRetryDelay ({options.DeliveryRetryDelay}); got {options.MaxDeliveryRetryDelay}.");
        }

        foreach ((string setting, TimeSpan value) in new[]
        {
            (nameof(options.ClientSubscriptionTimeout), options.ClientSubscriptionTimeout),
            (nameof(options.ClientAckTimeout), options.ClientAckTimeout),
            (nameof(options.ClientPullWait), options.ClientPullWait),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{prefix}{setting} must be positive; got {value}.");
            }
        }

        if (!Enum.IsDefined(options.Retention))
        {
            failures.Add($"{prefix}Retention has an unknown value {(int)options.Retention}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(int value, string setting)
        {
            if (value <= 0)
            {
                failures.Add($"{prefix}{setting} must be positive; got {value}.");
            }
        }
    }
}
