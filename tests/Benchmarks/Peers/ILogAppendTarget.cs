using Actors.Wal;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// A store whose append the driver awaits as the store's own task (the throughput driver calls
/// <see cref="AppendToLogAsync"/> instead of <see cref="IAppendTarget.AppendAsync"/>): the engine's target returns the
/// log's <see cref="ValueTask{TResult}"/> as it is, so that no async layer of the harness's is in the engine's figure (the
/// bare loop's target has none either).
/// </summary>
internal interface ILogAppendTarget : IAppendTarget
{
    /// <summary>The same write as <see cref="IAppendTarget.AppendAsync"/>, completing with the log's own result.</summary>
    ValueTask<AppendResult> AppendToLogAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
