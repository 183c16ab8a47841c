using Actors.Replication.Messages;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// The messages a simulated run's replicas sent, counted as the silos' meter <c>Actors.Replication</c> counts them: when
/// handed to the network, before loss or duplication.
/// </summary>
public sealed class ReplicationTraffic
{
    /// <summary>Append requests, with or without entries.</summary>
    public long AppendRequests { get; private set; }

    /// <summary>Append requests without entries (heartbeats and probes).</summary>
    public long EmptyAppendRequests { get; private set; }

    /// <summary>Entries the append requests carried (resends included).</summary>
    public long EntriesCarried { get; private set; }

    /// <summary><see cref="AppendAccepted"/> answers.</summary>
    public long Accepted { get; private set; }

    /// <summary><see cref="AppendDiverged"/> answers.</summary>
    public long Diverged { get; private set; }

    /// <summary>Every other message (fencing, checkpoints).</summary>
    public long Other { get; private set; }

    /// <summary>Adds <paramref name="other"/>'s counts to these.</summary>
    public void Add(ReplicationTraffic other)
    {
        AppendRequests += other.AppendRequests;
        EmptyAppendRequests += other.EmptyAppendRequests;
        EntriesCarried += other.EntriesCarried;
        Accepted += other.Accepted;
        Diverged += other.Diverged;
        Other += other.Other;
    }

    /// <summary>Counts one message handed to the network.</summary>
    internal void Count(ReplicationMessage message)
    {
        switch (message)
        {
            case AppendRequest request:
                AppendRequests++;
                EntriesCarried += request.Entries.Count;
                EmptyAppendRequests += request.Entries.Count == 0 ? 1 : 0;
                break;
            case AppendAccepted:
                Accepted++;
                break;
            case AppendDiverged:
                Diverged++;
                break;
            default:
                Other++;
                break;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{AppendRequests} append requests ({EmptyAppendRequests} without entries) carrying {EntriesCarried} entries, {Accepted} accepted, {Diverged} diverged, {Other} other";
}
