using Actors.Runtime;

namespace Actors.Streams;

/// <summary>A subscription cannot start at the requested token: the stream no longer retains it, or it is past the stream's end.</summary>
[GenerateSerializer]
public sealed class StreamRewindException : StreamException
{
    /// <summary>Creates the exception.</summary>
    public StreamRewindException(string providerName, StreamId streamId, StreamSequenceToken token, long oldestRetained, long latest)
        : base(providerName, streamId, $"Stream '{streamId}' of provider '{providerName}' cannot start a subscription at {token}: it retains sequence numbers {oldestRetained} to {latest}.")
    {
        Token = token;
        OldestRetained = oldestRetained;
        Latest = latest;
    }

    /// <summary>The requested token.</summary>
    [Id(0)]
    public StreamSequenceToken Token { get; }

    /// <summary>The oldest sequence number still retained.</summary>
    [Id(1)]
    public long OldestRetained { get; }

    /// <summary>The stream's latest sequence number.</summary>
    [Id(2)]
    public long Latest { get; }
}
