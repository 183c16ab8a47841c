namespace Actors.Persistence.Wal;

/// <summary>
/// An event or state could not be encoded (no stable type name, a serializer error, a member that threw while being
/// read, or too large). This is a <em>rejection</em>: nothing was stored, the grain's state is unchanged and the grain
/// keeps running.
/// </summary>
[GenerateSerializer]
public sealed class EventEncodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="valueType">The CLR type of the value that could not be encoded.</param>
    /// <param name="detail">What went wrong.</param>
    /// <param name="innerException">The serializer's error, if any.</param>
    /// <param name="memberName">The member being encoded when it failed (<c>Type.Property</c> or a JSON path), if known.</param>
    public EventEncodingException(Type valueType, string detail, Exception? innerException = null, string? memberName = null)
        : base($"Cannot store a value of type '{valueType?.FullName}'{(memberName is null ? "" : $" (member '{memberName}')")}: {detail} Nothing was stored.", innerException)
    {
        ArgumentNullException.ThrowIfNull(valueType);
        ValueType = valueType;
        MemberName = memberName;
    }

    /// <summary>The CLR type of the value that could not be encoded.</summary>
    [Id(0)]
    public Type ValueType { get; }

    /// <summary>The member being encoded when it failed (<c>Type.Property</c> or a JSON path), or null when unknown.</summary>
    [Id(1)]
    public string? MemberName { get; }
}
