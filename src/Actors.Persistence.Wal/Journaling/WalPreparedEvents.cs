using Actors.Journaling;

namespace Actors.Persistence.Wal;

/// <summary>Events encoded into grain records at <c>RaiseEvent</c> time, waiting for their append.</summary>
internal sealed class WalPreparedEvents(ReadOnlyMemory<byte>[] records, long bytes) : PreparedEvents
{
    public ReadOnlyMemory<byte>[] Records { get; } = records;

    public long Bytes { get; } = bytes;

    public override int Count => Records.Length;
}
