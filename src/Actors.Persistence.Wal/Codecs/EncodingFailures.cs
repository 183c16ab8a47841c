using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Actors.Persistence.Wal;

/// <summary>
/// Turns whatever a codec threw while encoding into an <see cref="EventEncodingException"/> (a rejection), naming the
/// member that failed when it can be found: a JSON path, or the property getter that threw.
/// </summary>
internal static class EncodingFailures
{
    /// <summary>The exception to report for <paramref name="exception"/>, thrown while encoding a <paramref name="valueType"/>.</summary>
    public static EventEncodingException ToEncodingException(Type valueType, Exception exception, string encoder)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is EventEncodingException encoding)
        {
            return encoding;
        }

        Exception cause = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
        return new EventEncodingException(
            valueType,
            $"{encoder} threw {cause.GetType().Name}: {cause.Message}",
            cause,
            FindMember(cause));
    }

    /// <summary>The member whose encoding failed: the innermost property getter on the stack, else a JSON path.</summary>
    public static string? FindMember(Exception exception)
    {
        foreach (StackFrame frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
        {
            if (frame.GetMethod() is { IsSpecialName: true, DeclaringType: { } declaring } method
                && method.Name.StartsWith("get_", StringComparison.Ordinal))
            {
                return $"{declaring.FullName}.{method.Name[4..]}";
            }
        }

        return exception is JsonException { Path: { Length: > 0 } path } && path != "$" ? path : null;
    }
}
