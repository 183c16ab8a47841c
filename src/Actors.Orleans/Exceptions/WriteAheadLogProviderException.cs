using Orleans.Runtime;

namespace Actors.Orleans;

/// <summary>
/// The root of every error the write-ahead-log providers raise. Each names what (grain, state or events, type) and where
/// (stream, version) it concerns.
/// </summary>
/// <remarks>
/// A grain call carries these errors to any client (<see cref="ProviderExceptionTypes"/>): a silo rebuilds the type; a
/// client without this assembly gets Orleans's <c>Orleans.Serialization.UnavailableExceptionFallbackException</c> whose
/// <c>ExceptionType</c> names the type and whose message and <see cref="Exception.Data"/> (each property of the type, by
/// its name) are the same.
/// </remarks>
public abstract class WriteAheadLogProviderException : OrleansException
{
    /// <summary>Creates the exception.</summary>
    protected WriteAheadLogProviderException(string message, Exception? innerException)
        : base(message, WireSafeInner.Of(innerException)!)
    {
    }
}
