namespace Actors.Serialization;

/// <summary>
/// The bytes are not a valid encoding of the expected type: truncated, corrupt, written by an incompatible format
/// version, or holding a value of another shape than the reader's member (for example text where it expects a number,
/// or a number out of the member's range).
/// </summary>
[GenerateSerializer]
public class WireFormatException : SerializerException
{
    /// <summary>Creates the exception.</summary>
    public WireFormatException(string message, long offset)
        : base($"{message} (at byte {offset})")
    {
        Offset = offset;
    }

    /// <summary>The byte offset in the message where the problem was found.</summary>
    [Id(0)]
    public long Offset { get; }
}
