using Orleans;
using Orleans.EventSourcing.Common;

namespace Actors.Orleans.EventSourcing;

/// <summary>Appending a journaled grain's confirmed batch to the silo's log failed (Orleans retries it).</summary>
[GenerateSerializer]
public sealed class WriteAheadLogWriteFailed : PrimaryOperationFailed
{
    /// <inheritdoc />
    public override string ToString() => $"append to the write-ahead log failed: {Exception.GetType().Name}: {Exception.Message}";
}
