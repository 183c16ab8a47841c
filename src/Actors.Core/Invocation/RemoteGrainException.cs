namespace Actors.Invocation;

/// <summary>
/// A grain threw an exception that crossed a process boundary. Carries the original exception's type name and
/// message (the exception object itself is not serialized).
/// </summary>
[GenerateSerializer]
public sealed class RemoteGrainException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string originalTypeName, string originalMessage, string? remoteStackTrace = null)
        : base($"{originalTypeName}: {originalMessage}")
    {
        OriginalTypeName = originalTypeName;
        OriginalMessage = originalMessage;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full name of the exception type the grain threw.</summary>
    [Id(0)]
    public string OriginalTypeName { get; }

    /// <summary>The message of the exception the grain threw.</summary>
    [Id(1)]
    public string OriginalMessage { get; }

    /// <summary>The stack trace on the silo, when the silo chose to send it.</summary>
    [Id(2)]
    public string? RemoteStackTrace { get; }
}
