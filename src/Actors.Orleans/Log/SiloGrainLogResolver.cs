using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.Log;

/// <summary>
/// The default <see cref="IGrainLogResolver"/>: every grain's streams are in the silo's one log (which refuses while
/// several silos are active, unless replication is configured: see <see cref="SingleSiloGuard"/>).
/// </summary>
internal sealed class SiloGrainLogResolver(SiloLog log) : IGrainLogResolver
{
    /// <inheritdoc />
    public ValueTask<IEventLog> GetLogAsync(GrainId grainId, CancellationToken cancellationToken = default) => ValueTask.FromResult(log.Log);
}
