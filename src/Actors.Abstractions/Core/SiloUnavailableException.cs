namespace Actors;

/// <summary>A call reached a silo that is stopping or stopped, so no activation can serve it.</summary>
public sealed class SiloUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException(string message)
        : base(message)
    {
    }
}
