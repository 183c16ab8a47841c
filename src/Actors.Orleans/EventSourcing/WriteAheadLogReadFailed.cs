using Orleans;
using Orleans.EventSourcing.Common;

namespace Actors.Orleans.EventSourcing;

/// <summary>Reading a journaled grain's events from the silo's log failed (Orleans retries it).</summary>
[GenerateSerializer]
public sealed class WriteAheadLogReadFailed : PrimaryOperationFailed
{
    /// <inheritdoc />
    public override string ToString() => $"read from the write-ahead log failed: {Exception.GetType().Name}: {Exception.Message}";
}
