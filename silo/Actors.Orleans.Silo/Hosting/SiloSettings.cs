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
        configuration.GetSection(ActorsSiloOptions.SectionName).Bind(options);
        ValidateOptionsResult result = new ActorsSiloOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(ActorsSiloOptions), result.Failures);
        }

        return options;
    }
}
