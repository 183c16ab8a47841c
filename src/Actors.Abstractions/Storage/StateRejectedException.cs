namespace Actors.Storage;

/// <summary>
/// A storage provider refused a state before storing anything (for example it cannot be serialized or is too
/// large). The grain keeps running; any other exception from a write means the outcome is unknown and the activation
/// is deactivated so the next one reloads from storage.
/// </summary>
public sealed class StateRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateRejectedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
