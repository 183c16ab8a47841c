using Actors.Replication.Wal;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// A disk on which restoring a materialized log from a checkpoint fails (as writing the state's files would on a full
/// or failing disk) until <see cref="Recover"/> is called; capturing works throughout.
/// </summary>
internal sealed class FailingRestores
{
    private volatile bool _recovered;

    /// <summary>Restores succeed from now on.</summary>
    public void Recover() => _recovered = true;

    /// <summary><paramref name="inner"/>, whose restores fail until <see cref="Recover"/>.</summary>
    public IMaterializedLogState Over(IMaterializedLogState inner) => new State(this, inner);

    private sealed class State(FailingRestores disk, IMaterializedLogState inner) : IMaterializedLogState
    {
        public ValueTask<byte[]> CaptureAsync(IEventLog local, CancellationToken cancellationToken) => inner.CaptureAsync(local, cancellationToken);

        public async ValueTask<IEventLog> RestoreAsync(IEventLog current, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
        {
            if (!disk._recovered)
            {
                // As the real restore does before it writes: the discarded log is closed first.
                await current.DisposeAsync();
                throw new MaterializedStateException("(test disk)", "writing the checkpoint state's files failed", new IOException("No space left on device"));
            }

            return await inner.RestoreAsync(current, state, cancellationToken);
        }
    }
}
