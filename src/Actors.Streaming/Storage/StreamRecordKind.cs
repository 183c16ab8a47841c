namespace Actors.Streams.Storage;

/// <summary>What a record of a stream's queue holds.</summary>
internal enum StreamRecordKind : byte
{
    /// <summary>A produced item.</summary>
    Item = 1,

    /// <summary>The producer completed the stream.</summary>
    Completed = 2,

    /// <summary>The producer reported an error.</summary>
    Error = 3,
}
