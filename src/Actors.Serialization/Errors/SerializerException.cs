namespace Actors.Serialization;

/// <summary>
/// The root of every error the serialization layer raises: a value that cannot be written, read or copied. The message
/// names the type and, when the failure happened inside an object, the member path from the root value
/// (<see cref="MemberPath"/>). The serializer never substitutes a default value for data it cannot handle.
/// </summary>
[GenerateSerializer]
public class SerializerException : Exception
{
    // Null until a member is recorded. Serialized, so the path crosses the wire with the exception.
    [Id(0)]
    private List<string>? _pathFromInnermost;

    /// <summary>Creates the exception.</summary>
    public SerializerException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The members from the root value down to the one that failed, as <c>Type.Member</c> segments joined by " -> ",
    /// or null when the failure was at the root.
    /// </summary>
    public string? MemberPath => _pathFromInnermost is not { Count: > 0 } path ? null : string.Join(" -> ", Enumerable.Reverse(path));

    /// <inheritdoc />
    public override string Message => MemberPath is { } path ? $"{base.Message} (at {path})" : base.Message;

    /// <summary>
    /// Wraps an exception that is not a <see cref="SerializerException"/> (thrown by a member's accessor, a converter, a
    /// constructor...) raised while writing or reading <paramref name="member"/> of <paramref name="type"/>.
    /// </summary>
    public static SerializerException Wrap(Exception exception, string type, string member)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var wrapped = new SerializerException($"{exception.GetType().Name}: {exception.Message}", exception);
        (wrapped._pathFromInnermost = []).Add($"{type}.{member}");
        return wrapped;
    }

    /// <summary>
    /// Records that the failure happened inside <paramref name="member"/> of <paramref name="type"/>. Generated code calls
    /// this from an exception filter on the way out, so it returns false (the exception keeps propagating unchanged).
    /// </summary>
    public static bool AddPath(Exception exception, string type, string member)
    {
        if (exception is SerializerException serializerException)
        {
            (serializerException._pathFromInnermost ??= []).Add($"{type}.{member}");
        }

        return false;
    }
}
