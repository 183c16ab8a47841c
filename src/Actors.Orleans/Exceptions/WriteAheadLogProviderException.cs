using Orleans;
using Orleans.Runtime;

namespace Actors.Orleans;

/// <summary>
/// The root of every error the write-ahead-log providers raise. Each names what (grain, state or events, type) and where
/// (stream, version) it concerns.
/// </summary>
[GenerateSerializer]
public abstract class WriteAheadLogProviderException : OrleansException
{
    /// <summary>Creates the exception.</summary>
    protected WriteAheadLogProviderException(string message, Exception? innerException)
        : base(message, WireSafeInner.Of(innerException)!)
    {
    }
}
