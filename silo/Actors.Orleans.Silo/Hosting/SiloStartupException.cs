namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// The silo cannot start as configured: a setting names something that is missing or unusable (a grains directory, an
/// advertised host name, a database that never answered). The message names the setting and what was found.
/// </summary>
public sealed class SiloStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloStartupException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public SiloStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public SiloStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
