using Actors.Wal;
using Microsoft.Extensions.Options;

namespace Actors.Orleans;

/// <summary>Validates <see cref="SiloLogOptions"/> at silo start; every failure names the setting.</summary>
public sealed class SiloLogOptionsValidator : IValidateOptions<SiloLogOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Compression))
        {
            failures.Add($"WriteAheadLog: {nameof(options.Compression)} '{options.Compression}' is not one of None, Brotli.");
        }

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"WriteAheadLog: {nameof(options.Directory)} is required: call AddWriteAheadLog(o => o.Directory = \"...\") on the silo builder, or set WriteAheadLog:Directory in configuration.");
        }

        WriteAheadLogOptions engine;
        try
        {
            engine = options.ToEngineOptions();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            failures.Add($"WriteAheadLog: {nameof(options.ConfigureEngine)} threw {ex.GetType().Name}: {ex.Message}");
            return ValidateOptionsResult.Fail(failures);
        }

        if (string.IsNullOrWhiteSpace(engine.Directory))
        {
            engine.Directory = "unset"; // reported above; the engine checks the other settings
        }

        ValidateOptionsResult result = new WriteAheadLogOptionsValidator().Validate("WriteAheadLog", engine);
        if (result.Failed)
        {
            failures.AddRange(result.Failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
