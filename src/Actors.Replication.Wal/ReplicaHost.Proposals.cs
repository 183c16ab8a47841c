using Actors.Replication.Protocol;

namespace Actors.Replication.Wal;

public sealed partial class ReplicaHost
{
    /// <summary>
    /// Hands the replica every append queued so far as one batch (driver loop only): the appends that reach the loop in
    /// one burst go out in one local write and one request per follower. Each append posts this action; the first to run
    /// takes the whole queue and those after it find it empty.
    /// </summary>
    private void ProposeQueued()
    {
        if (_proposals.IsEmpty)
        {
            return;
        }

        var batch = new List<Proposal>();
        while (_proposals.TryDequeue(out var proposal))
        {
            batch.Add(proposal);
        }

        _replica!.Propose(batch);
    }
}
