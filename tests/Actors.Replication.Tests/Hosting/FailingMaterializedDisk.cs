using Actors.Replication.Wal;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// A disk under a materialized log on which the chosen operations fail until <see cref="Recover"/> is called: restoring
/// from a checkpoint (as writing the state's files would on a full or failing disk) and/or capturing a checkpoint (as
/// reading the log's files would on a failing disk, or as a state too large for one array does). The other operation
/// works throughout.
/// </summary>
internal sealed class FailingMaterializedDisk(bool failRestores, bool failCaptures)
{
    private readonly bool _failRestores = failRestores;
    private readonly bool _failCaptures = failCaptures;
    private volatile bool _recovered;

    /// <summary>Restores from a checkpoint fail until <see cref="Recover"/>; captures work.</summary>
    public static FailingMaterializedDisk FailingRestores() => new(failRestores: true, failCaptures: false);

    /// <summary>Captures of a checkpoint fail until <see cref="Recover"/>; restores work.</summary>
    public static FailingMaterializedDisk FailingCaptures() => new(failRestores: false, failCaptures: true);

    /// <summary>Every operation succeeds from now on.</summary>
    public void Recover() => _recovered = true;

    /// <summary><paramref name="inner"/> on this disk.</summary>
    public IMaterializedLogState Over(IMaterializedLogState inner) => new State(this, inner);

    private sealed class State(FailingMaterializedDisk disk, IMaterializedLogState inner) : IMaterializedLogState
    {
        public ValueTask<byte[]> CaptureAsync(IEventLog local, CancellationToken cancellationToken)
        {
            if (disk._failCaptures && !disk._recovered)
            {
                throw new MaterializedStateException("(test disk)", "capturing its files as a checkpoint state failed", new IOException("Input/output error"));
            }

            return inner.CaptureAsync(local, cancellationToken);
        }

        public async ValueTask<IEventLog> RestoreAsync(IEventLog current, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
        {
            if (disk._failRestores && !disk._recovered)
            {
                // As the real restore does before it writes: the discarded log is closed first.
                await current.DisposeAsync();
                throw new MaterializedStateException("(test disk)", "writing the checkpoint state's files failed", new IOException("No space left on device"));
            }

            return await inner.RestoreAsync(current, state, cancellationToken);
        }
    }
}
