namespace Actors.Persistence.Wal;

/// <summary>Where a value being decoded was stored; carried into every decoding error.</summary>
/// <param name="StreamId">The log stream (the grain id, <c>type/key</c>).</param>
/// <param name="Version">The stream version of the record (for a checkpoint: the version it covers).</param>
public readonly record struct CodecContext(string StreamId, long Version)
{
    /// <inheritdoc />
    public override string ToString() => $"stream '{StreamId}' version {Version}";
}
