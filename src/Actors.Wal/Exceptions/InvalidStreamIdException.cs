namespace Actors.Wal;

/// <summary>A stream id breaks the rules of <see cref="Actors.Wal.StreamId.Validate(string)"/>: empty, not valid UTF-8, or too long.</summary>
public sealed class InvalidStreamIdException : RequestRejectedException
{
    /// <summary>Creates the exception.</summary>
    public InvalidStreamIdException(string reason, Exception? innerException = null)
        : base(null, $"Invalid stream id: {reason}", innerException)
    {
        Reason = reason;
    }

    /// <summary>Which rule the id breaks.</summary>
    public string Reason { get; }
}
