using Microsoft.Extensions.Options;

namespace Actors.Orleans;

/// <summary>Validates the named options of the write-ahead-log providers at silo start; every failure names the provider and the setting.</summary>
public sealed class WalProviderOptionsValidator : IValidateOptions<WriteAheadLogGrainStorageOptions>, IValidateOptions<WriteAheadLogLogConsistencyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WriteAheadLogGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Result(options.Validate(name ?? ""));
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WriteAheadLogLogConsistencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Result(options.Validate(name ?? ""));
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
