namespace Actors.Serialization;

/// <summary>
/// Stands in for an exception whose type the reading process does not know (or may not instantiate): it carries the
/// original type name, message, stack trace (see <see cref="Exception.StackTrace"/>), inner exception and data.
/// </summary>
[GenerateSerializer]
public sealed class UnavailableExceptionFallbackException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnavailableExceptionFallbackException(string exceptionType, string? message, Exception? innerException)
        : base(message, innerException)
    {
        ExceptionType = exceptionType;
    }

    /// <summary>The full name (or alias) of the original exception type.</summary>
    [Id(0)]
    public string ExceptionType { get; }

    /// <inheritdoc />
    public override string ToString() => $"{ExceptionType} (type unavailable here): {base.ToString()}";
}
