namespace Actors.Runtime;

/// <summary>
/// A reminder operation could not be carried out (Orleans' <c>ReminderException</c>): the reminder service is not
/// configured, the handle is stale, or the reminder table refused or failed the change. The message says which.
/// </summary>
public sealed class ReminderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReminderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    public ReminderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
