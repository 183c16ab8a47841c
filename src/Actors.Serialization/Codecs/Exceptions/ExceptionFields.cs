using System.Runtime.CompilerServices;

namespace Actors.Serialization.Codecs;

/// <summary>Access to <see cref="Exception"/>'s private state, to rebuild an exception exactly as it was written.</summary>
internal static class ExceptionFields
{
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_message")]
    public static extern ref string? Message(Exception exception);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_innerException")]
    public static extern ref Exception? InnerException(Exception exception);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_HResult")]
    public static extern ref int HResult(Exception exception);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_paramName")]
    public static extern ref string? ParamName(ArgumentException exception);
}
