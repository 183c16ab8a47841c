namespace Actors.Wal;

/// <summary>Options of an <see cref="InMemoryEventLog"/>.</summary>
/// <remarks>The log copies the values when it is constructed; later changes to this object have no effect on it.</remarks>
public sealed class InMemoryEventLogOptions
{
    /// <summary>
    /// The largest payload of one event or checkpoint, in bytes; larger ones are rejected with
    /// <see cref="ArgumentException"/> before anything is stored. Default
    /// <see cref="WriteAheadLogOptions.DefaultMaxRecordSizeBytes"/> (16 MiB), the same as the file-backed log.
    /// </summary>
    public int MaxRecordSizeBytes { get; set; } = WriteAheadLogOptions.DefaultMaxRecordSizeBytes;
}
