namespace Actors.Wal;

/// <summary>The base of every error the log engine reports about its own state or files.</summary>
public abstract class WalException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected WalException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
