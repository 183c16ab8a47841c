using Actors.Orleans.Silo.Options;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>Reads and validates <see cref="ActorsSiloOptions"/> while the host is being built (ports and paths are needed then).</summary>
internal static class SiloSettings
{
    /// <summary>Binds section <c>Actors</c> and validates it.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A value cannot be converted (for example a port that is not a number); the message names the setting.</exception>
    public static ActorsSiloOptions Read(IConfiguration configuration)
    {
        var options = new ActorsSiloOptions();
        try
        {
            configuration.GetSection(ActorsSiloOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key ("Failed to convert configuration value at 'Actors:GatewayPort' to type 'System.Int32'").
            throw new InvalidOperationException($"A setting of section '{ActorsSiloOptions.SectionName}' has a value of the wrong type: {ex.Message} (set it in appsettings.json or as ACTORS__<NAME>).", ex);
        }

        ValidateOptionsResult result = new ActorsSiloOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(ActorsSiloOptions), result.Failures);
        }

        return options;
    }

    /// <summary>Creates the data directory when missing.</summary>
    /// <exception cref="IOException">It cannot be created; the message names the setting and the path.</exception>
    public static void CreateDataDirectory(ActorsSiloOptions options)
    {
        string path = Path.GetFullPath(options.DataDirectory);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{ActorsSiloOptions.SectionName}:{nameof(options.DataDirectory)} is '{options.DataDirectory}': the directory {path} cannot be created: {ex.Message}", ex);
        }
    }
}
