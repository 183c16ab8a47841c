using Actors.Wal.Space;

namespace Actors.Wal.Tests.Support;

/// <summary>An <see cref="ISpaceAccount"/> that keeps every live-byte change it is given, in order.</summary>
internal sealed class RecordingSpaceAccount : ISpaceAccount
{
    /// <summary>The changes received: segment and delta.</summary>
    public List<(uint Segment, long Delta)> Deltas { get; } = [];

    /// <inheritdoc />
    public void AddLive(uint segmentId, long delta) => Deltas.Add((segmentId, delta));
}
